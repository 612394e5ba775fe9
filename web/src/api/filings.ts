// 书记就任/离任备案 and 换届 (issue 5): filings and term changes go to the
// superior Party org for approval. Shapes follow docs/API.md.
import { api } from './client'
import type { Query } from './client'
import type { Page, PartyOrg } from './types'

const V1 = '/api/v1'

export type RequestStatus = 'pending' | 'approved' | 'returned' | 'withdrawn'
export type FilingKind = 'appointment' | 'departure'
export type TermChangeKind = 'postpone' | 'advance'

/** A Party org with the secretary's facts that filings keep. */
export type OrgWithSecretary = PartyOrg & {
  secretary_member_id?: number | null
  secretary_since?: string | null
  secretary_vacant_since?: string | null
  secretary_unfiled_since?: string | null
  committee_size?: number
  postponed_to?: string | null
}

export interface SecretaryFiling {
  id: number
  party_org_id: number
  party_org_name: string
  parent_id: number | null
  parent_name: string
  kind: FilingKind
  kind_name: string
  member_id: number | null
  person_name: string
  effective_on: string
  method: string
  method_name: string
  meeting_on: string | null
  meeting_record: string
  reason: string
  reason_name: string
  reason_note: string
  status: RequestStatus
  status_name: string
  submitted_at: string
  submitted_by_name: string
  decided_at: string | null
  decided_by_name: string
  decision_note: string
  can_decide: boolean
  version: number
}

export interface SecretaryFilingInput {
  party_org_id?: number
  kind?: FilingKind
  member_id?: number | null
  effective_on: string
  method?: string
  meeting_on?: string
  meeting_record?: string
  reason?: string
  reason_note?: string
  version?: number
}

export interface TermChange {
  id: number
  party_org_id: number
  party_org_name: string
  parent_name: string
  term_id: number | null
  kind: TermChangeKind
  kind_name: string
  new_date: string
  reason: string
  over_limit: boolean
  status: RequestStatus
  status_name: string
  submitted_at: string
  submitted_by_name: string
  decided_at: string | null
  decided_by_name: string
  decision_note: string
  can_decide: boolean
  term_end: string | null
  version: number
}

export interface TermChangeInput {
  party_org_id: number
  kind: TermChangeKind
  new_date: string
  reason: string
  confirm_over_limit?: boolean
}

export interface CurrentTerm {
  start_on: string | null
  years: number
  end_on: string | null
  postponed_to: string | null
  deadline: string | null
  state: 'none' | 'ok' | 'due_soon' | 'overdue'
  days_left: number | null
}

export interface Term {
  id: number
  start_on: string
  years: number
  end_on: string
  election_id: number | null
  ended_on: string | null
}

export interface CommitteeSeat {
  member_id: number
  name?: string
  post: string
}

export interface Election {
  id: number
  held_on: string
  method: string
  method_name: string
  expected_voters: number
  present_voters: number
  committee: CommitteeSeat[]
  secretary_member_id: number | null
  notes: string
  created_by_name: string
  filing_id?: number
  notice?: string
}

export interface ElectionInput {
  held_on: string
  method: string
  expected_voters: number
  present_voters: number
  committee: CommitteeSeat[]
  secretary_member_id?: number | null
  notes?: string
  years?: number
}

export interface OrgTerms {
  current: CurrentTerm
  terms: Term[]
  elections: Election[]
  changes: TermChange[]
}

export const filingApi = {
  list: (q: Query) => api.get<Page<SecretaryFiling>>(`${V1}/secretary-filings`, q),
  get: (id: number) => api.get<SecretaryFiling>(`${V1}/secretary-filings/${id}`),
  create: (body: SecretaryFilingInput) => api.post<SecretaryFiling>(`${V1}/secretary-filings`, body),
  resubmit: (id: number, body: SecretaryFilingInput) => api.patch<SecretaryFiling>(`${V1}/secretary-filings/${id}`, body),
  approve: (id: number, note = '') => api.post<SecretaryFiling>(`${V1}/secretary-filings/${id}/approve`, { note }),
  return: (id: number, reason: string) => api.post<SecretaryFiling>(`${V1}/secretary-filings/${id}/return`, { reason }),
  withdraw: (id: number) => api.post<SecretaryFiling>(`${V1}/secretary-filings/${id}/withdraw`),
}

export const termApi = {
  get: (orgId: number) => api.get<OrgTerms>(`${V1}/party-orgs/${orgId}/terms`),
  record: (orgId: number, body: { start_on: string; years?: number; end_on?: string }) =>
    api.post<OrgTerms>(`${V1}/party-orgs/${orgId}/terms`, body),
  election: (orgId: number, body: ElectionInput) => api.post<Election>(`${V1}/party-orgs/${orgId}/elections`, body),
  changes: (q: Query) => api.get<Page<TermChange>>(`${V1}/term-changes`, q),
  createChange: (body: TermChangeInput) => api.post<TermChange>(`${V1}/term-changes`, body),
  approveChange: (id: number, note = '') => api.post<TermChange>(`${V1}/term-changes/${id}/approve`, { note }),
  returnChange: (id: number, reason: string) => api.post<TermChange>(`${V1}/term-changes/${id}/return`, { reason }),
  withdrawChange: (id: number) => api.post<TermChange>(`${V1}/term-changes/${id}/withdraw`),
}
