// 书记备案 and 换届 as the pages show them: the code lists' Chinese names (the
// domain's, from codes.gen.ts), the status tags, and the one-year limit of a
// postponement or advancement (选举工作条例 第三条: 一般不超过1年), mirrored
// from internal/domain so the dialog can ask for the confirmation before the
// server does.
import { ApiError } from '../api/client'
import type { CurrentTerm, RequestStatus, TermChangeKind } from '../api/filings'
import { requestStatuses } from './codes.gen'

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export { committeePosts, departureReasons, electionMethods, filingKinds, requestStatuses, secretaryMethods } from './codes.gen'

export function nameOf(list: readonly { code: string; name: string }[], code: string | null | undefined): string {
  return list.find((c) => c.code === code)?.name ?? code ?? ''
}

/** The tag of a filing's or a term change's status. */
export function statusTag(status: RequestStatus | string): { text: string; type: TagType } {
  const text = nameOf(requestStatuses, status)
  switch (status) {
    case 'pending':
      return { text, type: 'warning' }
    case 'approved':
      return { text, type: 'success' }
    case 'returned':
      return { text, type: 'danger' }
    default:
      return { text, type: 'info' }
  }
}

/** Adds n years to an ISO date, 29 February becoming 28 February in a common year (as domain.AddYears). */
export function addYears(iso: string, n: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return ''
  const y = Number(m[1]) + n
  const month = Number(m[2])
  const last = new Date(Date.UTC(y, month, 0)).getUTCDate()
  const d = Math.min(Number(m[3]), last)
  return `${y}-${m[2]}-${String(d).padStart(2, '0')}`
}

/**
 * The limit of a request on a term ending on termEnd: the latest deadline of a
 * postponement, the earliest date of an advancement, and whether newDate lies
 * beyond it (and so needs the explicit confirmation).
 */
export function changeLimit(kind: TermChangeKind, termEnd: string | null | undefined, newDate: string): { limit: string; over: boolean } {
  if (!termEnd) return { limit: '', over: false }
  if (kind === 'postpone') {
    const limit = addYears(termEnd, 1)
    return { limit, over: !!newDate && newDate > limit }
  }
  const limit = addYears(termEnd, -1)
  return { limit, over: !!newDate && newDate < limit }
}

/** Whether the server refused a request only for want of the over-limit confirmation. */
export function needsOverLimitConfirm(e: unknown): boolean {
  return e instanceof ApiError && e.status === 400 && /确需超过请勾选确认/.test(e.fields.new_date ?? '')
}

/** The current term's deadline as words: "还有 N 天" or "已超期 N 天". */
export function deadlineText(t: CurrentTerm | null | undefined): string {
  if (!t || !t.deadline || t.days_left === null || t.days_left === undefined) return '未登记任期'
  if (t.days_left < 0) return `已超期 ${-t.days_left} 天`
  if (t.days_left === 0) return '今天届满'
  return `还有 ${t.days_left} 天`
}
