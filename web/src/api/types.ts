// Shapes of docs/API.md.

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}

export interface Me {
  id: number
  username: string
  display_name: string
  roles: string[]
  role_names: string[]
  permissions: string[]
  party_org_id: number
  party_org_name: string
  party_org_path: string
  must_change_password: boolean
  password_expires_in_days?: number | null
  idle_timeout_minutes?: number
  /** a member's own account (the member role): the member and their Party org */
  member?: MeMember | null
  /** the account logs in with a one-time password (动态口令) too */
  totp_enabled?: boolean
  /** its roles require one: until enrolled, only enrolment answers */
  totp_required?: boolean
}

/** POST /session: the user, or only a request for the second factor */
export type LoginAnswer = Me | { second_factor_required: true; second_factor_expires_at: string }

export interface TotpEnrolment {
  /** base32, to type into the app by hand */
  secret: string
  /** otpauth:// — what the QR code holds */
  uri: string
  /** the QR code as a data:image/png URL */
  qr: string
  issuer: string
}

export interface TotpStatus {
  enabled: boolean
  enabled_at?: string | null
  required: boolean
  recovery_codes_left: number
}

export interface SecondFactorSettings {
  required_roles: string[]
}

export interface MeMember {
  id: number
  name: string
  party_org_id: number
  party_org_name: string
}

export interface PartyOrgType {
  code: string
  name: string
  grassroots: boolean
  default_term_years: number
  /** types this one may sit under (server extension) */
  parents?: string[]
}

export interface RoleInfo {
  code: string
  name: string
  admin: boolean
  /** the roles that may assign or remove it (none: the 三员 and members) */
  granted_by?: string[]
}

export interface CodeName {
  code: string
  name: string
}

export interface Meta {
  party_org_types: PartyOrgType[]
  roles: RoleInfo[]
  region_levels?: unknown[]
  /** 园区, 商圈楼宇, 专业市场 … */
  zone_kinds?: CodeName[]
  /** the registry's code lists (org_kinds, industries, ethnicities, gig_types …), in display order */
  registry?: Record<string, CodeName[]>
}

export interface Region {
  code: string
  name: string
  level: string
  parent_code?: string | null
  functional_zone_code?: string | null
}

/** 园区 / 商圈楼宇 / 专业市场 …: a territorial unit managed by a Party org (usually its 综合党委). */
export interface Zone {
  id: number
  name: string
  kind: string
  kind_name?: string
  /** region code, usually a street (镇/街道) */
  region: string
  region_name?: string
  party_org_id: number
  party_org_name?: string
  address: string
  version: number
}

export interface ZoneInput {
  name: string
  kind: string
  region: string
  party_org_id: number
  address: string
  version?: number
}

export type TermState = 'ok' | 'due_soon' | 'overdue' | 'none'

export interface PartyOrg {
  id: number
  name: string
  short_name?: string | null
  type: string
  type_name?: string
  parent_id?: number | null
  parent_name?: string | null
  path?: string
  depth?: number
  region?: string | null
  region_name?: string | null
  founded_on?: string | null
  secretary_name?: string | null
  term_start?: string | null
  term_years?: number | null
  term_end?: string | null
  term_state?: TermState
  status: 'active' | 'dissolved'
  dissolved_on?: string | null
  dissolve_reason?: string | null
  child_count?: number
  created_at?: string
  updated_at?: string
  version?: number
}

/** A Party org as the tree picker shows it (GET /org-tree): its place and kind only. */
export interface OrgNode {
  id: number
  name: string
  type: string
  type_name?: string
  parent_id?: number | null
  parent_name?: string | null
  path?: string
  region?: string | null
  status: 'active' | 'dissolved'
  child_count?: number
}

export interface PartyOrgInput {
  name: string
  short_name?: string
  type: string
  region: string
  founded_on?: string
  secretary_name?: string
  term_start?: string
  term_years?: number
  version?: number
  parent_id?: number
}

export interface HistoryEntry {
  id: number
  at: string
  action: string
  username: string
  changes?: Record<string, { from: unknown; to: unknown }> | null
}

export interface Dashboard {
  scope_name?: string
  party_orgs?: { active: number; dissolved: number; by_type?: Record<string, number> }
  terms?: { overdue: number; due_soon: number }
  users?: { total: number; locked: number; disabled: number }
  audit?: { today: number; failures_today: number }
}

export interface User {
  id: number
  username: string
  display_name: string
  party_org_id: number
  party_org_name?: string
  roles: string[]
  role_names?: string[]
  disabled: boolean
  locked_until?: string | null
  failed_logins?: number
  last_login_at?: string | null
  password_changed_at?: string | null
  created_at?: string
  totp_enabled?: boolean
}

export interface SecuritySettings {
  lockout_threshold: number
  lockout_minutes: number
  idle_timeout_minutes: number
  password_min_length: number
  password_min_classes: number
  password_max_age_days: number
  /** failures from all addresses that lock an account everywhere */
  account_lockout_threshold: number
}

export interface AuditEvent {
  id: number
  at: string
  username: string
  /** a list per docs/API.md; the server sends a comma-separated string */
  roles?: string[] | string | null
  ip?: string
  action: string
  action_name?: string
  object_type?: string | null
  object_id?: string | number | null
  result?: string
  reason?: string | null
  before?: unknown
  after?: unknown
  request_id?: string
}

export interface VerifyResult {
  ok: boolean
  checked: number
  broken_id?: number
  reason?: string
}

/** A 两新组织 of the registry (GET /api/v1/organizations/{id}). */
export interface Organization {
  id: number
  uscc: string
  /** derived from the USCC by the server */
  kind: string
  subtype: string
  name: string
  legal_representative: string
  founder_name: string
  founder_is_member: boolean
  registered_on: string | null
  status: string
  address: string
  region: string
  longitude: number | null
  latitude: number | null
  zone_id: number | null
  industry: string
  chain: string
  employees: number | null
  /** derived from employees by the server */
  employee_band: string
  revenue_band: string
  flags: string[]
  charter_includes_party: boolean
  charter_includes_party_on: string | null
  cross_appointment: boolean
  secretary_is_head: boolean
  union_established: boolean
  youth_league_established: boolean
  women_federation_established: boolean
  area_manager_id: number
  industry_manager_id: number | null
  /** non-fatal findings about the USCC, only in the answer to a save */
  uscc_warnings?: string[]
  created_at?: string
  updated_at?: string
  version: number
  region_name?: string
  zone_name?: string
  area_manager_name?: string
  industry_manager_name?: string
}

/** The body of POST/PATCH /api/v1/organizations; a left-out field is unchanged; 0 clears zone_id and industry_manager_id. */
export interface OrganizationInput {
  uscc?: string
  name?: string
  legal_representative?: string
  founder_name?: string
  founder_is_member?: boolean
  registered_on?: string
  status?: string
  address?: string
  region?: string
  longitude?: number
  latitude?: number
  zone_id?: number
  industry?: string
  chain?: string
  employees?: number
  revenue_band?: string
  flags?: string[]
  charter_includes_party?: boolean
  charter_includes_party_on?: string
  cross_appointment?: boolean
  secretary_is_head?: boolean
  union_established?: boolean
  youth_league_established?: boolean
  women_federation_established?: boolean
  area_manager_id?: number
  industry_manager_id?: number
  version?: number
}

/**
 * A Party member as shown (GET /api/v1/members/{id}, `MemberView`): `id_number`
 * and `phone` masked ("510104********0015", "138****8000"), no birth date;
 * dates before 1952, which would narrow the birth date, are null and named in
 * `withheld`.
 */
export interface Member {
  id: number
  name: string
  gender: string
  ethnicity: string
  id_number: string
  phone: string
  education: string
  joined_on: string | null
  full_member_on: string | null
  status: string
  standing: string
  standing_on: string | null
  party_org_id: number | null
  employer_id: number | null
  job: string
  post: string
  key_post: boolean
  mobile: boolean
  mobile_place: string
  gig_type: string
  created_at?: string
  updated_at?: string
  version: number
  party_org_name?: string
  employer_name?: string
  /** dates left out because they would narrow the birth date (shown by a reveal) */
  withheld?: string[]
}

/**
 * The answer to an audited reveal (POST /api/v1/members/{id}/reveal,
 * `RevealedMember`): `id_number` and `phone` in plain text, the birth date and
 * every date. The only answer that carries a birth date.
 */
export interface RevealedMember extends Omit<Member, 'withheld'> {
  birth_date?: string | null
}

/** The body of POST/PATCH /api/v1/members; a left-out field is unchanged; 0 clears party_org_id and employer_id. */
export interface MemberInput {
  name?: string
  gender?: string
  ethnicity?: string
  birth_date?: string
  id_number?: string
  phone?: string
  education?: string
  joined_on?: string
  full_member_on?: string
  status?: string
  standing?: string
  standing_on?: string
  party_org_id?: number
  employer_id?: number
  job?: string
  post?: string
  key_post?: boolean
  mobile?: boolean
  mobile_place?: string
  gig_type?: string
  version?: number
}

export type CoverageStateCode = 'org_covered' | 'work_covered' | 'uncovered'

/** A Party org covering an organization (GET /organizations/{id}/coverage). */
export interface CoveringOrg {
  party_org_id: number
  /** the Party org's name (served with the link) */
  name?: string
  type: string
  status: string
  joint: boolean
  since: string | null
  dissolved_on: string | null
}

/** A 党建指导员 / 党建联络员 assigned to an organization. */
export interface CoverageAssignment {
  id: number
  organization_id: number
  person: string
  role: string
  from: string | null
  to: string | null
}

/** 两个覆盖 of one organization, computed by the server for today. */
export interface OrganizationCoverage {
  state: CoverageStateCode
  state_name: string
  by: string
  since: string | null
  covering: CoveringOrg[] | null
  assignments: CoverageAssignment[] | null
  in_scope?: boolean
  days_uncovered?: number
}

/** One bad cell (or, without a column, a bad row) of an Excel import. */
export interface ImportError {
  row: number
  /** the column's letter in the uploaded sheet ("C"); "" for the whole row */
  column: string
  header: string
  value: string
  reason: string
}

export type ImportKind = 'organizations' | 'members'
export type ImportStatus = 'queued' | 'validating' | 'importing' | 'done' | 'failed' | 'rejected'

/** An Excel import job (GET /imports/{id}). */
export interface ImportJob {
  id: number
  kind: ImportKind
  file_name: string
  skip_invalid: boolean
  status: ImportStatus
  total: number
  imported: number
  unchanged: number
  rejected: number
  /** 0..1 */
  progress: number
  message: string
  errors: ImportError[]
  error_count: number
  username: string
  created_at: string
  finished_at: string
  has_error_copy: boolean
}
