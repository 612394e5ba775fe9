// 书记备案 and 换届 as the pages show them: the code lists' Chinese names, the
// status tags, and the one-year limit of a postponement or advancement
// (选举工作条例 第三条: 一般不超过1年), mirrored from internal/domain so the
// dialog can ask for the confirmation before the server does.
import { ApiError } from '../api/client'
import type { CurrentTerm, RequestStatus, TermChangeKind } from '../api/filings'

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export const filingKinds = [
  { code: 'appointment', name: '就任备案' },
  { code: 'departure', name: '离任备案' },
] as const

export const secretaryMethods = [
  { code: 'elected', name: '选举产生' },
  { code: 'appointed', name: '上级任命/指定' },
] as const

export const departureReasons = [
  { code: 'term_end', name: '任期届满' },
  { code: 'transferred', name: '工作调动' },
  { code: 'resigned', name: '辞职' },
  { code: 'removed', name: '免职' },
  { code: 'left_org', name: '离开单位' },
  { code: 'other', name: '其他' },
] as const

export const electionMethods = [
  { code: 'member_meeting', name: '党员大会' },
  { code: 'delegate_congress', name: '党员代表大会' },
] as const

export const committeePosts = [
  { code: 'secretary', name: '书记' },
  { code: 'deputy_secretary', name: '副书记' },
  { code: 'organization', name: '组织委员' },
  { code: 'propaganda', name: '宣传委员' },
  { code: 'discipline', name: '纪检委员' },
  { code: 'member', name: '委员' },
] as const

export const requestStatuses = [
  { code: 'pending', name: '待审批' },
  { code: 'approved', name: '已批准' },
  { code: 'returned', name: '已退回' },
  { code: 'withdrawn', name: '已撤回' },
] as const

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
