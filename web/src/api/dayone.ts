// What a deployment loads on day one (issue 13): streets and communities
// (镇街、社区) maintained by staff, the Party orgs' export, and the 党小组 of
// a branch. The shapes are the served OpenAPI document's (schema.gen.ts).
import { api, downloadFile } from './client'
import type { Query } from './client'
import type { HistoryEntry, Region, Schemas as S } from './types'

const V1 = '/api/v1'

export type RegionInput = S['RegionInput']
export type PartyGroup = S['PartyGroup']
export type PartyGroupView = S['PartyGroupView']
export type PartyGroupMember = S['PartyGroupMember']
export type PartyGroupInput = S['PartyGroupInput']

export const regionApi = {
  list: (q: Query) => api.get<Region[]>(`${V1}/regions`, q),
  get: (code: string) => api.get<Region>(`${V1}/regions/${encodeURIComponent(code)}`),
  create: (body: RegionInput) => api.post<Region>(`${V1}/regions`, body),
  update: (code: string, body: RegionInput) => api.patch<Region>(`${V1}/regions/${encodeURIComponent(code)}`, body),
  history: (code: string) => api.get<HistoryEntry[]>(`${V1}/regions/${encodeURIComponent(code)}/history`),
  /** the district's streets and communities in the import template's layout */
  export: (district?: string) => downloadFile(`${V1}/regions.xlsx`, { region: district || undefined }, '镇街社区.xlsx'),
}

export const partyOrgExportApi = {
  /** the Party orgs in scope, parents first, in the import template's layout */
  export: (q: Query = {}) => downloadFile(`${V1}/party-orgs.xlsx`, q, '党组织.xlsx'),
}

export const partyGroupApi = {
  list: (orgId: number) => api.get<PartyGroupView[]>(`${V1}/party-orgs/${orgId}/groups`),
  members: (orgId: number) => api.get<PartyGroupMember[]>(`${V1}/party-orgs/${orgId}/group-members`),
  create: (orgId: number, body: PartyGroupInput) => api.post<PartyGroup>(`${V1}/party-orgs/${orgId}/groups`, body),
  update: (id: number, body: PartyGroupInput) => api.patch<PartyGroup>(`${V1}/party-groups/${id}`, body),
  dissolve: (id: number, dissolvedOn: string) => api.post<PartyGroup>(`${V1}/party-groups/${id}/dissolve`, { dissolved_on: dissolvedOn }),
  setMembers: (id: number, memberIds: number[]) => api.put<PartyGroupMember[]>(`${V1}/party-groups/${id}/members`, { member_ids: memberIds }),
}

/** The branches' types that have 党小组 (domain/partygroup.CanHaveGroups). */
export const groupTypes = ['branch', 'joint_branch', 'mobile_branch', 'temporary_branch']
