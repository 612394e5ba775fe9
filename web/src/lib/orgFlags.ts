// The organizations' Party-building facts and flags as the statistics page
// and the organization list show them: one list of marks (the server's
// domain.OrgMarks order), rates, and the list query a count links to.
import { orgFlags, partyBuildingFlags } from './refdata'
import type { CodeName } from './refdata'

/** The marks a count or a filter can name: the Party-building facts, then the flags. */
export function orgMarks(): CodeName[] {
  return [...partyBuildingFlags, ...orgFlags]
}

/** "（12.5%）" of n in total, "" when there is nothing to divide. */
export function percent(n: number, total: number): string {
  if (!total) return ''
  const p = (n * 100) / total
  return `（${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%）`
}

/**
 * What a mark's rate is counted against: the organizations with a Party org
 * for the facts that only such an organization can have (双向进入交叉任职,
 * 书记由负责人担任), all the organizations for the others.
 */
export function rateBase(mark: string, row: { total: number; org_covered: number }): number {
  return mark === 'cross_appointment' || mark === 'secretary_is_head' ? row.org_covered : row.total
}

export type CountsBy = 'region' | 'zone' | 'industry' | 'chain'

/**
 * The organization list's query for the organizations behind a count: the
 * row's group (by its dimension) narrowed by the page's filter, and the mark.
 */
export function listQuery(
  by: CountsBy,
  key: string,
  filter: { region?: string; zone?: number; industry?: string; chain?: string },
  mark?: string,
): Record<string, string> {
  const q: Record<string, string> = {}
  if (filter.region) q.region = filter.region
  if (filter.zone) q.zone_id = String(filter.zone)
  if (filter.industry) q.industry = filter.industry
  if (filter.chain) q.chain = filter.chain
  if (key) {
    if (by === 'region') q.region = key
    else if (by === 'zone') q.zone_id = key
    else if (by === 'industry') q.industry = key
    else q.chain = key
  }
  if (mark) q.mark = mark
  return q
}
