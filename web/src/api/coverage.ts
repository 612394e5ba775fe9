// 两个覆盖 / 动态清零: the city-wide figures, breakdowns, uncovered list,
// trend, settings, and the covering links and assignments of one organization.
import { api, buildQuery, downloadFile, request } from './client'
import type { Query } from './client'
import type { CoverageAssignment, OrganizationCoverage, Page } from './types'

const V1 = '/api/v1'

export interface CoverageCounts {
  total: number
  org_covered: number
  work_covered: number
  uncovered: number
}

export interface CoverageTally extends CoverageCounts {
  in_scope: CoverageCounts
}

/** GET /coverage: the contract's seven figures, then additions. */
export interface CoverageSummary {
  organizations: number
  in_scope: number
  org_covered: number
  work_covered: number
  uncovered: number
  members: number
  members_unmanaged: number
  members_unmanaged_by_reason: Record<string, number>
  as_of: string
  rule: string
}

export type BreakdownBy = 'region' | 'zone' | 'industry' | 'chain'

export interface BreakdownRow extends CoverageTally {
  key: string
  name: string
  /** the next level: region, zone, organizations, or '' */
  drill: string
}

export interface UncoveredOrganization {
  id: number
  name: string
  uscc: string
  status: string
  employees: number | null
  region: string
  region_name: string
  zone_id: number | null
  zone_name: string
  industry: string
  industry_name: string
  chain: string
  area_manager_id: number
  area_manager_name: string
  industry_manager_id: number | null
  industry_manager_name: string
  since: string | null
  days_uncovered: number
}

export interface TrendPoint extends CoverageTally {
  day: string
}

export interface CoverageTrend {
  party_org_id: number
  party_org_name: string
  region: string
  points: TrendPoint[]
  note: string
}

export interface CoverageTarget {
  statuses: string[]
  min_employees: number
  all_social_orgs: boolean
  all_above_scale: boolean
  kinds: string[] | null
}

export interface CoverageSettings {
  target: CoverageTarget
  max_transit_days: number
  accepted_uscc: string[]
}

export interface CoverageFilter {
  region?: string
  zone?: number
  industry?: string
  chain?: string
}

export interface AssignmentInput {
  person?: string
  role?: string
  from?: string
  to?: string | null
}

export const coverageApi = {
  summary: (f: CoverageFilter) => api.get<CoverageSummary>(`${V1}/coverage`, f as Query),
  breakdown: (by: BreakdownBy, f: CoverageFilter) => api.get<BreakdownRow[]>(`${V1}/coverage/breakdown`, { by, ...f } as Query),
  uncovered: (q: Query) => api.get<Page<UncoveredOrganization>>(`${V1}/coverage/uncovered`, q),
  /** the filtered uncovered list as a workbook (audited) */
  export: (q: Query) => downloadFile(`${V1}/coverage/uncovered.xlsx`, q, '未覆盖组织.xlsx'),
  trend: (region: string, days: number) => api.get<CoverageTrend>(`${V1}/coverage/trend`, { region, days }),
  settings: () => api.get<CoverageSettings>(`${V1}/settings/coverage`),
  saveSettings: (s: CoverageSettings) => request<CoverageSettings>('PUT', `${V1}/settings/coverage`, { body: s }),
  addCover: (orgId: number, partyOrgId: number, since?: string) =>
    api.post<OrganizationCoverage>(`${V1}/organizations/${orgId}/covers`, { party_org_id: partyOrgId, since: since ?? '' }),
  removeCover: (orgId: number, partyOrgId: number) =>
    request<OrganizationCoverage>('DELETE', `${V1}/organizations/${orgId}/covers${buildQuery({ party_org_id: partyOrgId })}`),
  assign: (orgId: number, body: AssignmentInput) => api.post<CoverageAssignment>(`${V1}/organizations/${orgId}/assignments`, body),
  updateAssignment: (id: number, body: AssignmentInput) => api.patch<CoverageAssignment>(`${V1}/assignments/${id}`, body),
}
