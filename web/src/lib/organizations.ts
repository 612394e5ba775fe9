// The 两新组织 registry: field names, value display and the form's body.
import type { Organization, OrganizationInput } from '../api/types'
import { historyValue } from './history'
import {
  employeeBands, industries, nameOf, orgFlags, orgKinds, orgStatuses, orgSubtypes, revenueBands,
} from './refdata'
import type { CodeList } from './refdata'

/** Chinese names of the organization's fields (form, detail and history). */
export const organizationFieldLabels: Record<string, string> = {
  uscc: '统一社会信用代码',
  kind: '组织类别',
  subtype: '社会组织类型',
  name: '组织名称',
  legal_representative: '法定代表人（负责人）',
  founder_name: '出资人（开办人）',
  founder_is_member: '出资人（开办人）是党员',
  registered_on: '登记（成立）日期',
  status: '登记状态',
  address: '地址',
  region: '所属区域',
  longitude: '经度',
  latitude: '纬度',
  zone_id: '所在园区/楼宇/市场',
  industry: '所属行业',
  chain: '重点产业链',
  employees: '从业人数',
  employee_band: '从业人数区间',
  revenue_band: '年营业收入',
  flags: '组织标签',
  charter_includes_party: '党建入章',
  charter_includes_party_on: '党建入章日期',
  cross_appointment: '双向进入、交叉任职',
  secretary_is_head: '书记由负责人担任',
  union_established: '建立工会',
  youth_league_established: '建立共青团',
  women_federation_established: '建立妇联',
  area_manager_id: '属地管理党组织',
  industry_manager_id: '行业管理党组织',
}

/** Fields of a history entry not worth showing (not stored, or the record's own id). */
export const organizationHiddenHistory = ['id', 'uscc_warnings'] as const

const codedFields: Record<string, CodeList> = {
  kind: orgKinds,
  subtype: orgSubtypes,
  status: orgStatuses,
  industry: industries,
  employee_band: employeeBands,
  revenue_band: revenueBands,
  flags: orgFlags,
}

/** A field's value in a history entry: codes by their names, booleans as 是/否. */
export function organizationHistoryValue(field: string, v: unknown): string {
  const l = codedFields[field]
  if (field.endsWith('_id') && (v === 0 || v === null)) return '空'
  return historyValue(v, l ? (s) => nameOf(l, s) : undefined)
}

/** "非公企业" or "社会组织（基金会）". */
export function kindText(o: Pick<Organization, 'kind' | 'subtype'>): string {
  const k = nameOf(orgKinds, o.kind)
  return o.subtype ? `${k}（${nameOf(orgSubtypes, o.subtype)}）` : k
}

/** "60人（50–99人）". */
export function employeesText(o: Pick<Organization, 'employees' | 'employee_band'>): string {
  if (o.employees === null || o.employees === undefined) return ''
  const band = nameOf(employeeBands, o.employee_band)
  return band ? `${o.employees}人（${band}）` : `${o.employees}人`
}

export type StatusTagType = 'success' | 'warning' | 'info' | 'danger'

export function statusTag(status: string): { text: string; type: StatusTagType } {
  const type: Record<string, StatusTagType> = {
    active: 'success',
    suspended: 'warning',
    moved_out: 'info',
    deregistered: 'info',
    revoked: 'danger',
    abnormal: 'danger',
  }
  return { text: nameOf(orgStatuses, status), type: type[status] ?? 'info' }
}

/** The dialog's form: what the user edits. */
export interface OrganizationForm {
  uscc: string
  name: string
  legal_representative: string
  founder_name: string
  founder_is_member: boolean
  registered_on: string | null
  status: string
  address: string
  region: string | null
  longitude: number | null
  latitude: number | null
  zone_id: number | null
  industry: string
  chain: string
  employees: number | null
  revenue_band: string
  flags: string[]
  charter_includes_party: boolean
  charter_includes_party_on: string | null
  cross_appointment: boolean
  secretary_is_head: boolean
  union_established: boolean
  youth_league_established: boolean
  women_federation_established: boolean
  area_manager_id: number | null
  industry_manager_id: number | null
}

export function emptyOrganizationForm(): OrganizationForm {
  return {
    uscc: '',
    name: '',
    legal_representative: '',
    founder_name: '',
    founder_is_member: false,
    registered_on: null,
    status: 'active',
    address: '',
    region: null,
    longitude: null,
    latitude: null,
    zone_id: null,
    industry: '',
    chain: '',
    employees: null,
    revenue_band: '',
    flags: [],
    charter_includes_party: false,
    charter_includes_party_on: null,
    cross_appointment: false,
    secretary_is_head: false,
    union_established: false,
    youth_league_established: false,
    women_federation_established: false,
    area_manager_id: null,
    industry_manager_id: null,
  }
}

export function organizationForm(o: Organization): OrganizationForm {
  return {
    uscc: o.uscc,
    name: o.name,
    legal_representative: o.legal_representative ?? '',
    founder_name: o.founder_name ?? '',
    founder_is_member: !!o.founder_is_member,
    registered_on: o.registered_on || null,
    status: o.status,
    address: o.address ?? '',
    region: o.region || null,
    longitude: o.longitude ?? null,
    latitude: o.latitude ?? null,
    zone_id: o.zone_id ?? null,
    industry: o.industry,
    chain: o.chain ?? '',
    employees: o.employees ?? null,
    revenue_band: o.revenue_band ?? '',
    flags: [...(o.flags ?? [])],
    charter_includes_party: !!o.charter_includes_party,
    charter_includes_party_on: o.charter_includes_party_on || null,
    cross_appointment: !!o.cross_appointment,
    secretary_is_head: !!o.secretary_is_head,
    union_established: !!o.union_established,
    youth_league_established: !!o.youth_league_established,
    women_federation_established: !!o.women_federation_established,
    area_manager_id: o.area_manager_id || null,
    industry_manager_id: o.industry_manager_id ?? null,
  }
}

/**
 * The POST/PATCH body of a form: text trimmed, every field given (so a PATCH
 * sets them all); a missing zone or industry manager is sent as 0 (clears it);
 * coordinates and the employee count only when filled in (the API cannot
 * clear them); the 党建入章 date only while 党建入章 is on.
 */
export function organizationBody(f: OrganizationForm): OrganizationInput {
  const body: OrganizationInput = {
    uscc: f.uscc.trim(),
    name: f.name.trim(),
    legal_representative: f.legal_representative.trim(),
    founder_name: f.founder_name.trim(),
    founder_is_member: f.founder_is_member,
    registered_on: f.registered_on ?? '',
    status: f.status,
    address: f.address.trim(),
    region: f.region ?? '',
    zone_id: f.zone_id ?? 0,
    industry: f.industry,
    chain: f.chain.trim(),
    revenue_band: f.revenue_band ?? '',
    flags: orgFlags.map((c) => c.code).filter((c) => f.flags.includes(c)),
    charter_includes_party: f.charter_includes_party,
    charter_includes_party_on: f.charter_includes_party ? (f.charter_includes_party_on ?? '') : '',
    cross_appointment: f.cross_appointment,
    secretary_is_head: f.secretary_is_head,
    union_established: f.union_established,
    youth_league_established: f.youth_league_established,
    women_federation_established: f.women_federation_established,
    area_manager_id: f.area_manager_id ?? 0,
    industry_manager_id: f.industry_manager_id ?? 0,
  }
  if (f.longitude !== null && f.longitude !== undefined) body.longitude = f.longitude
  if (f.latitude !== null && f.latitude !== undefined) body.latitude = f.latitude
  if (f.employees !== null && f.employees !== undefined) body.employees = f.employees
  return body
}
