import { api, downloadFile, request } from './client'
import type { Query } from './client'
import type {
  AuditCounts,
  AuditEvent,
  Dashboard,
  HistoryEntry,
  ImportJob,
  ImportKind,
  LoginAnswer,
  Me,
  Member,
  MemberInput,
  Meta,
  OrgNode,
  Organization,
  OrganizationCoverage,
  OrganizationInput,
  Page,
  PartyOrg,
  PartyOrgCreate,
  PartyOrgInput,
  Region,
  RevealedMember,
  SecondFactorSettings,
  SecuritySettings,
  TotpEnrolment,
  TotpStatus,
  User,
  UserCounts,
  VerifyResult,
  Zone,
  ZoneInput,
} from './types'

const V1 = '/api/v1'

export const sessionApi = {
  login: (username: string, password: string) =>
    request<LoginAnswer>('POST', `${V1}/session`, { body: { username, password }, skipAuthRedirect: true }),
  /** the login's second step: a one-time password or a recovery code */
  secondFactor: (body: { code: string } | { recovery_code: string }) =>
    request<Me>('POST', `${V1}/session/totp`, { body, skipAuthRedirect: true }),
  logout: () => request<void>('DELETE', `${V1}/session`, { skipAuthRedirect: true }),
  me: () => request<Me>('GET', `${V1}/me`, { skipAuthRedirect: true }),
  changePassword: (old_password: string, new_password: string) =>
    api.put<void>(`${V1}/me/password`, { old_password, new_password }),
}

/** The caller's second login factor (动态口令). */
export const totpApi = {
  status: () => api.get<TotpStatus>(`${V1}/me/totp`),
  begin: () => api.post<TotpEnrolment>(`${V1}/me/totp`),
  confirm: (code: string) => api.post<{ recovery_codes: string[] }>(`${V1}/me/totp/confirm`, { code }),
  renewRecoveryCodes: (code: string) => api.post<{ recovery_codes: string[] }>(`${V1}/me/totp/recovery-codes`, { code }),
  disable: (code: string) => request<void>('DELETE', `${V1}/me/totp`, { body: { code } }),
}

export const metaApi = {
  meta: () => api.get<Meta>(`${V1}/meta`),
  regions: (q: Query) => api.get<Region[] | Page<Region>>(`${V1}/regions`, q),
  dashboard: () => api.get<Dashboard>(`${V1}/dashboard`),
}

export const orgApi = {
  list: (q: Query) => api.get<Page<PartyOrg>>(`${V1}/party-orgs`, q),
  get: (id: number) => api.get<PartyOrg>(`${V1}/party-orgs/${id}`),
  create: (body: PartyOrgCreate) => api.post<PartyOrg>(`${V1}/party-orgs`, body),
  update: (id: number, body: Partial<PartyOrgInput>) => api.patch<PartyOrg>(`${V1}/party-orgs/${id}`, body),
  move: (id: number, parent_id: number) => api.post<PartyOrg>(`${V1}/party-orgs/${id}/move`, { parent_id }),
  dissolve: (id: number, dissolved_on: string, reason: string) =>
    api.post<PartyOrg>(`${V1}/party-orgs/${id}/dissolve`, { dissolved_on, reason }),
  history: (id: number) => api.get<HistoryEntry[] | Page<HistoryEntry>>(`${V1}/party-orgs/${id}/history`),
  ancestors: (id: number) => api.get<PartyOrg[] | Page<PartyOrg>>(`${V1}/party-orgs/${id}/ancestors`),
}

/** The tree's shape only: what the account administrators may read, and what a picker needs. */
export const orgTreeApi = {
  /** the caller's scope root when called without a query */
  list: (q: Query = {}) => api.get<Page<OrgNode>>(`${V1}/org-tree`, q),
}

export const zoneApi = {
  list: (q: Query) => api.get<Page<Zone>>(`${V1}/zones`, q),
  get: (id: number) => api.get<Zone>(`${V1}/zones/${id}`),
  create: (body: ZoneInput) => api.post<Zone>(`${V1}/zones`, body),
  update: (id: number, body: Partial<ZoneInput>) => api.patch<Zone>(`${V1}/zones/${id}`, body),
}

export const organizationApi = {
  list: (q: Query) => api.get<Page<Organization>>(`${V1}/organizations`, q),
  get: (id: number) => api.get<Organization>(`${V1}/organizations/${id}`),
  create: (body: OrganizationInput) => api.post<Organization>(`${V1}/organizations`, body),
  update: (id: number, body: OrganizationInput) => api.patch<Organization>(`${V1}/organizations/${id}`, body),
  history: (id: number) => api.get<HistoryEntry[] | Page<HistoryEntry>>(`${V1}/organizations/${id}/history`),
  /** 两个覆盖 as of today */
  coverage: (id: number) => api.get<OrganizationCoverage>(`${V1}/organizations/${id}/coverage`),
  /** the filtered list as a workbook in the import template's layout */
  export: (q: Query) => downloadFile(`${V1}/organizations.xlsx`, q, '两新组织.xlsx'),
}

export const memberApi = {
  list: (q: Query) => api.get<Page<Member>>(`${V1}/members`, q),
  get: (id: number) => api.get<Member>(`${V1}/members/${id}`),
  create: (body: MemberInput) => api.post<Member>(`${V1}/members`, body),
  update: (id: number, body: MemberInput) => api.patch<Member>(`${V1}/members/${id}`, body),
  history: (id: number) => api.get<HistoryEntry[] | Page<HistoryEntry>>(`${V1}/members/${id}/history`),
  /** the plain ID number and phone; the server audits every call */
  reveal: (id: number) => api.post<RevealedMember>(`${V1}/members/${id}/reveal`, {}),
  /** the filtered list as a workbook; reveal (a separate role) exports plain ID numbers and phones */
  export: (q: Query, reveal = false) => downloadFile(`${V1}/members.xlsx`, { ...q, reveal: reveal || undefined }, '党员.xlsx'),
}

export const userApi = {
  list: (q: Query) => api.get<Page<User>>(`${V1}/users`, q),
  get: (id: number) => api.get<User>(`${V1}/users/${id}`),
  create: (body: { username: string; display_name: string; party_org_id: number; roles: string[]; password: string }) =>
    api.post<User>(`${V1}/users`, body),
  update: (id: number, body: { display_name?: string; disabled?: boolean; roles?: string[]; party_org_id?: number }) =>
    api.patch<User>(`${V1}/users/${id}`, body),
  resetPassword: (id: number, password: string) => api.post<void>(`${V1}/users/${id}/reset-password`, { password }),
  unlock: (id: number) => api.post<void>(`${V1}/users/${id}/unlock`, {}),
  /** the 安全管理员's reset of a lost second factor */
  resetTotp: (id: number) => api.del<void>(`${V1}/users/${id}/totp`),
  /** the home page's account figures */
  stats: () => api.get<UserCounts>(`${V1}/users/stats`),
}

export const settingsApi = {
  get: () => api.get<SecuritySettings>(`${V1}/settings/security`),
  put: (s: SecuritySettings) => api.put<SecuritySettings>(`${V1}/settings/security`, s),
  secondFactor: () => api.get<SecondFactorSettings>(`${V1}/settings/second-factor`),
  putSecondFactor: (s: SecondFactorSettings) => api.put<SecondFactorSettings>(`${V1}/settings/second-factor`, s),
}

export const auditApi = {
  list: (q: Query) => api.get<Page<AuditEvent>>(`${V1}/audit-events`, q),
  verify: () => api.get<VerifyResult>(`${V1}/audit-events/verify`),
  /** the home page's trail figures */
  stats: () => api.get<AuditCounts>(`${V1}/audit-events/stats`),
}

export const importApi = {
  /** starts an import job; the server answers 202 with its id */
  start: (kind: ImportKind, file: File, skipInvalid: boolean) => {
    const form = new FormData()
    form.append('kind', kind)
    if (skipInvalid) form.append('skip_invalid', 'on')
    form.append('file', file)
    return request<{ id: number }>('POST', `${V1}/imports`, { body: form })
  },
  get: (id: number) => api.get<ImportJob>(`${V1}/imports/${id}`),
  list: () => api.get<Page<ImportJob>>(`${V1}/imports`),
  templateUrl: (kind: ImportKind) => `${V1}/templates/${kind}.xlsx`,
  errorCopyUrl: (id: number) => `${V1}/imports/${id}/errors.xlsx`,
}

/** Accepts either a bare array or a paged answer. */
export function itemsOf<T>(x: T[] | Page<T> | null | undefined): T[] {
  if (!x) return []
  if (Array.isArray(x)) return x
  return x.items ?? []
}
