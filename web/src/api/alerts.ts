// 防瘫预警 (issue 5): alerts and their workflow, the dashboard figures, the
// rules' tuning and the caller's to-do list.
import { api, downloadFile } from './client'
import type { Query } from './client'
import type { Page } from './types'

const V1 = '/api/v1'

export type AlertLevel = 'yellow' | 'orange' | 'red'
export type AlertStatus = 'open' | 'acknowledged' | 'resolved' | 'closed'
export type AlertAction = 'raised' | 'level_changed' | 'assigned' | 'acknowledged' | 'resolved' | 'reopened' | 'closed'

export interface Alert {
  id: number
  rule: string
  rule_name: string
  party_org_id: number
  party_org_name: string
  party_org_type?: string
  region?: string
  district_name?: string
  owner_org_id?: number | null
  owner_org_name?: string
  level: AlertLevel
  since?: string | null
  /** days from `since` to the evaluation's date */
  days?: number | null
  reason: string
  status: AlertStatus
  assignee_id?: number | null
  assignee_name?: string
  note?: string
  opened_on?: string
  seen_on?: string
  closed_on?: string | null
  version: number
}

export interface AlertEvent {
  at: string
  on_date?: string
  username?: string
  action: AlertAction | string
  level?: AlertLevel | ''
  note?: string
}

export interface AlertDetail extends Alert {
  events: AlertEvent[]
}

export interface Assignee {
  id: number
  display_name: string
  party_org_name?: string
}

export interface LevelCounts {
  yellow: number
  orange: number
  red: number
  total: number
}

export interface AlertRun {
  as_of: string
  started_at?: string
  duration_ms?: number
}

export interface AlertStats {
  as_of: string
  last_run: AlertRun | null
  totals: LevelCounts
  by_rule: (LevelCounts & { rule: string; name: string })[]
  by_district: (LevelCounts & { code: string; name: string })[]
  top_orgs: { party_org_id: number; name: string; district_name?: string; total: number; worst_level: AlertLevel }[]
  trend: (LevelCounts & { date: string })[]
}

export interface RuleParamDef {
  key: string
  name: string
  unit: string
  min: number
  max: number
  default: number
}

export interface Rule {
  code: string
  name: string
  description: string
  basis: string
  params: RuleParamDef[] | null
  /** the stem of the yellow_/orange_/red_ thresholds ("days"), or '' / absent for a fixed level */
  escalating?: string | boolean
  /** thresholds fall as the level rises (a rate) */
  descending?: boolean
  /** a fixed level when not escalating */
  level?: AlertLevel | ''
  enabled: boolean
  values: Record<string, number> | null
  updated_at?: string | null
  version: number
}

export interface RulePatch {
  enabled?: boolean
  params?: Record<string, number>
  version: number
}

export interface RunSummary {
  as_of: string
  /** false: a date before the last recorded run was only previewed */
  persisted?: boolean
  raised: number
  updated: number
  closed: number
  open_total: number
  duration_ms: number
}

export interface TodoCounts {
  alerts: number
  alerts_assigned: number
  filings_to_approve: number
  term_changes_to_approve: number
  terms_ending: number
  terms_overdue?: number
  returned: number
  total: number
}

export interface TodoFiling {
  id: number
  party_org_id: number
  party_org_name: string
  kind: string
  person_name?: string
  submitted_at?: string
}

export interface TodoTermChange {
  id: number
  party_org_id: number
  party_org_name: string
  kind: string
  new_date?: string
  submitted_at?: string
}

export interface TodoTerm {
  party_org_id: number
  party_org_name: string
  deadline: string
  days_left: number
}

export interface TodoReturned {
  type: 'filing' | 'term_change' | string
  id: number
  party_org_id: number
  party_org_name: string
  decision_note?: string
}

export interface Todo {
  counts: TodoCounts
  alerts: Alert[] | null
  filings?: TodoFiling[] | null
  term_changes?: TodoTermChange[] | null
  /** the to-do's rows, or (so far) Party orgs with their term_end */
  terms: (TodoTerm | Record<string, unknown>)[] | null
  returned?: TodoReturned[] | null
}

export const alertApi = {
  list: (q: Query) => api.get<Page<Alert>>(`${V1}/alerts`, q),
  get: (id: number) => api.get<AlertDetail>(`${V1}/alerts/${id}`),
  assign: (id: number, body: { assignee_id: number; note: string; version: number }) => api.post<Alert>(`${V1}/alerts/${id}/assign`, body),
  acknowledge: (id: number, body: { note: string; version: number }) => api.post<Alert>(`${V1}/alerts/${id}/acknowledge`, body),
  resolve: (id: number, body: { note: string; version: number }) => api.post<Alert>(`${V1}/alerts/${id}/resolve`, body),
  reopen: (id: number, body: { note: string; version: number }) => api.post<Alert>(`${V1}/alerts/${id}/reopen`, body),
  assignees: (partyOrgId: number) => api.get<Assignee[] | Page<Assignee>>(`${V1}/alerts/assignees`, { party_org_id: partyOrgId }),
  export: (q: Query) => downloadFile(`${V1}/alerts.xlsx`, q, '防瘫预警.xlsx'),
  stats: (q: Query) => api.get<AlertStats>(`${V1}/alerts/stats`, q),
  run: (now?: string) => api.post<RunSummary>(`${V1}/alerts/run`, now ? { now } : {}),
}

export const ruleApi = {
  list: () => api.get<Rule[] | Page<Rule>>(`${V1}/rules`),
  patch: (code: string, body: RulePatch) => api.patch<Rule>(`${V1}/rules/${encodeURIComponent(code)}`, body),
}

export const todoApi = {
  get: () => api.get<Todo>(`${V1}/todo`),
  counts: () => api.get<TodoCounts>(`${V1}/todo/counts`),
}
