// 两个覆盖: the Chinese labels of GET /organizations/{id}/coverage.

import { assignmentRoles, coverageStates, coverageWays } from './codes.gen'
import { formatDate } from './format'
import { partyOrgTypeNames } from './labels'

export type TagType = 'success' | 'warning' | 'danger' | 'info'

const stateNames: Record<string, string> = Object.fromEntries(coverageStates.map((s) => [s.code, s.name]))

const stateTypes: Record<string, TagType> = {
  org_covered: 'success',
  work_covered: 'warning',
  uncovered: 'danger',
}

/** The tag of a coverage state: green 组织覆盖, orange 工作覆盖, red 未覆盖. */
export function coverageTag(state: string | null | undefined, stateName?: string | null): { text: string; type: TagType } {
  const s = state ?? ''
  return { text: stateName || stateNames[s] || s || '—', type: stateTypes[s] ?? 'info' }
}

const byNames: Record<string, string> = Object.fromEntries(coverageWays.map((w) => [w.code, w.name]))

/** How an organization is covered; '' when it is not. */
export function coverageBy(by: string | null | undefined): string {
  if (!by) return ''
  return byNames[by] ?? by
}

/** "自 YYYY-MM-DD", or '' without a date. */
export function coverageSince(since: string | null | undefined): string {
  const d = formatDate(since)
  return d ? `自 ${d}` : ''
}

// the assignment's short name: 指导员 for 党建指导员
const roleNames: Record<string, string> = Object.fromEntries(assignmentRoles.map((r) => [r.code, r.name.replace(/^党建/, '')]))

/** 指导员 / 联络员 of an assignment. */
export function assignmentRole(role: string | null | undefined): string {
  if (!role) return ''
  return roleNames[role] ?? role
}

/** The type name of a covering Party org (the Party-org type labels). */
export function coveringTypeName(type: string | null | undefined, joint?: boolean): string {
  if (!type) return ''
  const name = partyOrgTypeNames[type] ?? type
  return joint && !name.startsWith('联合') ? `${name}（联合组建）` : name
}

/** 正常 / 已撤销 of a covering Party org. */
export function coveringStatus(status: string | null | undefined): { text: string; type: TagType } {
  return status === 'dissolved' ? { text: '已撤销', type: 'info' } : { text: '正常', type: 'success' }
}

/** "from – to", open-ended as "from 起". */
export function periodText(from: string | null | undefined, to: string | null | undefined): string {
  const f = formatDate(from)
  const t = formatDate(to)
  if (f && t) return `${f} – ${t}`
  if (f) return `${f} 起`
  if (t) return `至 ${t}`
  return '—'
}
