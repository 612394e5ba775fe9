// The Party member registry: field names, value display and the form's body.
// ID numbers and phones arrive masked; the form never holds a plain value it
// did not get from the user.
import type { Member, MemberInput } from '../api/types'
import { historyValue } from './history'
import { educationLevels, ethnicities, genders, gigTypes, memberStandings, memberStatuses, nameOf } from './refdata'
import type { CodeList } from './refdata'

/** Chinese names of the member's fields (form, detail and history). */
export const memberFieldLabels: Record<string, string> = {
  name: '姓名',
  gender: '性别',
  ethnicity: '民族',
  birth_date: '出生日期',
  id_number: '公民身份号码',
  phone: '手机号码',
  education: '学历',
  joined_on: '入党日期',
  full_member_on: '转正日期',
  status: '党员类别',
  standing: '党籍状态',
  standing_on: '党籍变动日期',
  party_org_id: '组织关系所在党组织',
  employer_id: '工作单位',
  job: '工作岗位',
  post: '职务',
  key_post: '关键岗位',
  mobile: '流动党员',
  mobile_place: '流动去向（外出地点）',
  gig_type: '新就业群体',
}

/** Fields of a history entry not worth showing. */
export const memberHiddenHistory = ['id'] as const

const codedFields: Record<string, CodeList> = {
  gender: genders,
  ethnicity: ethnicities,
  education: educationLevels,
  status: memberStatuses,
  standing: memberStandings,
  gig_type: gigTypes,
}

/** A field's value in a history entry: codes by their names, booleans as 是/否. */
export function memberHistoryValue(field: string, v: unknown): string {
  const l = codedFields[field]
  if (field.endsWith('_id') && (v === 0 || v === null)) return '空'
  return historyValue(v, l ? (s) => nameOf(l, s) : undefined)
}

export type TagType = 'success' | 'warning' | 'info' | 'danger' | 'primary'

/** 正式党员 / 预备党员. */
export function memberStatusTag(status: string): { text: string; type: TagType } {
  return { text: nameOf(memberStatuses, status), type: status === 'probationary' ? 'warning' : 'danger' }
}

/** 在册 / 已转出 / 停止党籍 / 出党 / 去世. */
export function memberStandingTag(standing: string): { text: string; type: TagType } {
  const type: Record<string, TagType> = {
    registered: 'success',
    transferred_out: 'info',
    suspended: 'warning',
    expelled: 'danger',
    deceased: 'info',
  }
  return { text: nameOf(memberStandings, standing), type: type[standing] ?? 'info' }
}

/** The dialog's form: what the user edits. id_number and phone are empty unless typed in. */
export interface MemberForm {
  name: string
  id_number: string
  gender: string
  ethnicity: string
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
}

export function emptyMemberForm(): MemberForm {
  return {
    name: '',
    id_number: '',
    gender: '',
    ethnicity: '',
    phone: '',
    education: '',
    joined_on: null,
    full_member_on: null,
    status: 'full',
    standing: 'registered',
    standing_on: null,
    party_org_id: null,
    employer_id: null,
    job: '',
    post: '',
    key_post: false,
    mobile: false,
    mobile_place: '',
    gig_type: '',
  }
}

/** The form of a member being edited: the masked ID number and phone are left out (empty = unchanged). */
export function memberForm(m: Member): MemberForm {
  return {
    name: m.name,
    id_number: '',
    gender: m.gender ?? '',
    ethnicity: m.ethnicity ?? '',
    phone: '',
    education: m.education ?? '',
    joined_on: m.joined_on || null,
    full_member_on: m.full_member_on || null,
    status: m.status,
    standing: m.standing || 'registered',
    standing_on: m.standing_on || null,
    party_org_id: m.party_org_id ?? null,
    employer_id: m.employer_id ?? null,
    job: m.job ?? '',
    post: m.post ?? '',
    key_post: !!m.key_post,
    mobile: !!m.mobile,
    mobile_place: m.mobile_place ?? '',
    gig_type: m.gig_type ?? '',
  }
}

/**
 * The POST/PATCH body of a form. Every field is given except, when editing
 * (`before`), an empty ID number or phone (unchanged); with a new ID number,
 * an untouched gender is left out too so that the server takes it from the
 * new number. The birth date is never sent: the server derives it from the
 * ID number. A missing Party org or employer is sent as 0 (no link); the 转正
 * date only for 正式党员, the standing date only when not 在册, the place only
 * for a mobile member. When editing, an unchanged 入党日期 is left out (a new
 * one needs the ID number typed again: the server checks the age with it), and
 * so is an empty date the server withheld (`before.withheld`).
 */
export function memberBody(f: MemberForm, before: Member | null = null): MemberInput {
  const idNumber = f.id_number.trim()
  const phone = f.phone.trim()
  const body: MemberInput = {
    name: f.name.trim(),
    gender: f.gender ?? '',
    ethnicity: f.ethnicity ?? '',
    education: f.education ?? '',
    joined_on: f.joined_on ?? '',
    full_member_on: f.status === 'full' ? (f.full_member_on ?? '') : '',
    status: f.status,
    standing: f.standing,
    standing_on: f.standing !== 'registered' ? (f.standing_on ?? '') : '',
    party_org_id: f.party_org_id ?? 0,
    employer_id: f.employer_id ?? 0,
    job: f.job.trim(),
    post: f.post.trim(),
    key_post: f.key_post,
    mobile: f.mobile,
    mobile_place: f.mobile ? f.mobile_place.trim() : '',
    gig_type: f.gig_type ?? '',
  }
  if (!before || idNumber) body.id_number = idNumber
  if (!before || phone) body.phone = phone
  if (before && idNumber && body.gender === (before.gender ?? '')) delete body.gender
  if (before && !idNumber && body.joined_on === (before.joined_on ?? '')) delete body.joined_on
  for (const d of ['joined_on', 'full_member_on', 'standing_on'] as const) {
    if (before?.withheld?.includes(d) && !body[d]) delete body[d]
  }
  if (before) body.version = before.version
  return body
}

/** Whether a date of the member was withheld by the server (shown only by a reveal). */
export function dateWithheld(m: Member | null | undefined, field: 'joined_on' | 'full_member_on' | 'standing_on'): boolean {
  return !!m?.withheld?.includes(field)
}

/** What the detail shows for a withheld date. */
export const withheldText = '仅明文查看可见'
