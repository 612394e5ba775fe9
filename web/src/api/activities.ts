// Organizational life (组织生活): activities, attendance, check-in codes,
// attachments, monthly themes (一月一主题), their settings and the
// compliance ledger (三会一课台账). Shapes follow docs/API.md.
import { api, downloadFile, request } from './client'
import type { Query } from './client'
import type { Page } from './types'

const V1 = '/api/v1'

export type ActivityStatus = 'planned' | 'held' | 'cancelled'
export type AttendanceKind = 'present' | 'leave' | 'absent'

/** What staff enter for an activity (POST; PATCH adds `version`). */
export interface ActivityInput {
  party_org_id: number
  co_host_ids: number[]
  type: string
  title: string
  theme: string
  monthly_theme_id: number | null
  starts_at: string
  ends_at: string
  address: string
  latitude: number | null
  longitude: number | null
  open: boolean
  capacity: number
  agenda: string
  status: 'planned' | 'held'
  minutes: string
  resolutions: string
  question: string
  decision: string
  outcome: string
}

export interface AttendanceStats {
  expected: number
  present: number
  leave: number
  absent: number
  guests: number
  rate: number
}

export interface Quorum {
  entitled: number
  present: number
  required: number
  met: boolean
}

export interface MonthlyTheme {
  id: number
  month: string
  title: string
  description: string
}

export interface Attachment {
  id: number
  file_name: string
  name?: string
  content_type?: string
  size?: number
  created_at?: string
}

export interface ActivityView extends Omit<ActivityInput, 'status'> {
  id: number
  party_org_name: string
  hosts: { id: number; name: string }[]
  type_name: string
  monthly_theme: { id: number; month: string; title: string } | null
  status: ActivityStatus
  cancel_reason: string
  stats: AttendanceStats | null
  quorum: Quorum | null
  attachments?: Attachment[]
  created_at: string
  updated_at: string
  version: number
}

export interface RosterRow {
  member_id: number
  name: string
  party_org_id: number
  party_org_name: string
  member_status: 'full' | 'probationary' | string
  kind: AttendanceKind | ''
  reason: string
  method: string
  at: string | null
  recognized: boolean
  attendance_id: number | null
}

export interface Attendance {
  stats: AttendanceStats
  quorum: Quorum | null
  roster: RosterRow[]
  guests: RosterRow[]
}

export interface CheckinCode {
  code: string
  activity_id: number
  valid_from: string
  expires_at: string
}

export interface ActivitySettings {
  checkin_before_minutes: number
  checkin_after_minutes: number
  /** a frequency per requirement, and the committee threshold (committee_min_full_members) */
  frequencies: Record<string, string | number>
}

export interface PeriodCell {
  period: string
  start: string
  end: string
  status: string
  held: number
}

export interface RequirementLedger {
  requirement: string
  frequency: string
  applies: boolean
  reason?: string
  periods: PeriodCell[]
  due: number
  done: number
}

export interface ComplianceLedger {
  year: number
  requirements: RequirementLedger[]
  due: number
  done: number
  rate: number
}

export interface MissingItem {
  requirement: string
  period: string
  start: string
  end: string
}

export interface OrgCompliance {
  party_org: { id: number; name: string }
  facts: Record<string, unknown>
  ledger: ComplianceLedger
  missing: MissingItem[]
}

export interface SummaryRow {
  key: string
  name: string
  orgs: number
  due: number
  done: number
  rate: number
  /** orgs with at least one missing item */
  lagging?: number
}

export interface ComplianceSummaryAnswer {
  total: { orgs: number; due: number; done: number; rate?: number; lagging?: number }
  rows: SummaryRow[]
}

export interface OrgComplianceRow {
  party_org_id: number
  name: string
  parent_name?: string
  district_name?: string
  due: number
  done: number
  rate: number
  missing: MissingItem[]
}

/** A list answer that may come as a page or as a bare array. */
export function itemsOf<T>(a: Page<T> | T[] | null | undefined): { items: T[]; total: number } {
  if (!a) return { items: [], total: 0 }
  if (Array.isArray(a)) return { items: a, total: a.length }
  return { items: a.items ?? [], total: a.total ?? (a.items ?? []).length }
}

export const activityApi = {
  list: (q: Query) => api.get<Page<ActivityView>>(`${V1}/activities`, q),
  get: (id: number) => api.get<ActivityView>(`${V1}/activities/${id}`),
  create: (body: ActivityInput) => api.post<ActivityView>(`${V1}/activities`, body),
  update: (id: number, body: ActivityInput & { version: number }) => api.patch<ActivityView>(`${V1}/activities/${id}`, body),
  cancel: (id: number, reason: string) => api.post<ActivityView>(`${V1}/activities/${id}/cancel`, { reason }),
  checkinCode: (id: number) => api.get<CheckinCode>(`${V1}/activities/${id}/checkin-code`),
  /** the QR image of the check-in code */
  checkinPngURL: (id: number, size = 300, bust = '') =>
    `${V1}/activities/${id}/checkin-code?format=png&size=${size}${bust ? `&t=${encodeURIComponent(bust)}` : ''}`,
  attendance: (id: number) => api.get<Attendance>(`${V1}/activities/${id}/attendance`),
  mark: (id: number, body: { member_id: number; kind: AttendanceKind; reason: string }) =>
    api.put<RosterRow>(`${V1}/activities/${id}/attendance`, body),
  scan: (id: number, code: string) => api.post<RosterRow>(`${V1}/activities/${id}/scan`, { code }),
  upload: (id: number, file: File) => {
    const fd = new FormData()
    fd.append('file', file)
    return request<Attachment>('POST', `${V1}/activities/${id}/attachments`, { body: fd })
  },
  attachmentURL: (id: number, aid: number) => `${V1}/activities/${id}/attachments/${aid}`,
  deleteAttachment: (id: number, aid: number) => api.del<void>(`${V1}/activities/${id}/attachments/${aid}`),
}

export const themeApi = {
  list: (year: number) => api.get<MonthlyTheme[] | Page<MonthlyTheme>>(`${V1}/monthly-themes`, { year }),
  put: (month: string, body: { title: string; description: string }) =>
    api.put<MonthlyTheme>(`${V1}/monthly-themes/${month}`, body),
  settings: () => api.get<ActivitySettings>(`${V1}/settings/activities`),
  saveSettings: (s: ActivitySettings) => api.put<ActivitySettings>(`${V1}/settings/activities`, s),
}

export const complianceApi = {
  org: (party_org_id: number, year: number) => api.get<OrgCompliance>(`${V1}/compliance`, { party_org_id, year }),
  summary: (q: Query) => api.get<ComplianceSummaryAnswer>(`${V1}/compliance/summary`, q),
  orgs: (q: Query) => api.get<Page<OrgComplianceRow> | OrgComplianceRow[]>(`${V1}/compliance/orgs`, q),
  export: (party_org_id: number, year: number) =>
    downloadFile(`${V1}/compliance.xlsx`, { party_org_id, year }, `三会一课台账-${year}.xlsx`),
}

export const activationApi = {
  issue: (memberId: number) => api.post<{ code: string; expires_at: string }>(`${V1}/members/${memberId}/activation`, {}),
}
