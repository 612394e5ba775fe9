import { describe, expect, it } from 'vitest'
import type { Member } from '../api/types'
import { emptyMemberForm, memberBody, memberForm, memberHistoryValue, memberStandingTag, memberStatusTag } from './members'

const member: Member = {
  id: 7,
  name: '张三',
  gender: 'male',
  ethnicity: '01',
  id_number: '510104********0015',
  phone: '138****8000',
  education: 'bachelor',
  joined_on: '2005-07-01',
  full_member_on: '2006-07-01',
  status: 'full',
  standing: 'registered',
  standing_on: null,
  party_org_id: 12,
  employer_id: null,
  job: '工程师',
  post: '',
  key_post: false,
  mobile: false,
  mobile_place: '',
  gig_type: '',
  created_at: '2026-01-02T03:04:05Z',
  updated_at: '2026-01-02T03:04:05Z',
  version: 3,
  party_org_name: '第1党支部',
  employer_name: '',
  employer_uscc: '',
}

describe('memberForm', () => {
  it('never copies the masked ID number or phone', () => {
    const f = memberForm(member)
    expect(f.id_number).toBe('')
    expect(f.phone).toBe('')
    expect(f.party_org_id).toBe(12)
  })
})

describe('memberBody', () => {
  it('registers with every field, the ID number and phone included', () => {
    const f = { ...emptyMemberForm(), name: ' 李四 ', id_number: ' 51010419900101001X ', phone: '13800138000', joined_on: '2015-01-01' }
    const b = memberBody(f)
    expect(b.name).toBe('李四')
    expect(b.id_number).toBe('51010419900101001X')
    expect(b.phone).toBe('13800138000')
    expect(b.gender).toBe('')
    expect('birth_date' in b).toBe(false)
    expect(b.joined_on).toBe('2015-01-01')
    expect(b.party_org_id).toBe(0)
    expect(b.employer_id).toBe(0)
    expect(b.standing_on).toBe('')
    expect(b.version).toBeUndefined()
  })
  it('leaves an empty ID number and phone unchanged when editing', () => {
    const b = memberBody(memberForm(member), member)
    expect('id_number' in b).toBe(false)
    expect('phone' in b).toBe(false)
    expect(b.gender).toBe('male')
    expect('birth_date' in b).toBe(false)
    expect(b.version).toBe(3)
  })
  it('sends a new 入党日期 only when it changed', () => {
    expect('joined_on' in memberBody(memberForm(member), member)).toBe(false)
    expect(memberBody({ ...memberForm(member), joined_on: '2005-08-01' }, member).joined_on).toBe('2005-08-01')
    const withID = memberBody({ ...memberForm(member), id_number: '51010419800102001X' }, member)
    expect(withID.joined_on).toBe('2005-07-01')
  })
  it('leaves out the dates the server withheld unless typed', () => {
    const old: Member = { ...member, joined_on: null, full_member_on: null, withheld: ['joined_on', 'full_member_on'] }
    const b = memberBody(memberForm(old), old)
    expect('joined_on' in b).toBe(false)
    expect('full_member_on' in b).toBe(false)
    expect(b.job).toBe('工程师')
    const typed = memberBody({ ...memberForm(old), id_number: '510104193005010019', joined_on: '1950-06-01', full_member_on: '1951-06-01' }, old)
    expect(typed.joined_on).toBe('1950-06-01')
    expect(typed.full_member_on).toBe('1951-06-01')
  })
  it('lets the server derive gender and birth date from a new ID number', () => {
    const b = memberBody({ ...memberForm(member), id_number: '51010419900101002X' }, member)
    expect(b.id_number).toBe('51010419900101002X')
    expect('gender' in b).toBe(false)
    expect('birth_date' in b).toBe(false)
    const changed = memberBody({ ...memberForm(member), id_number: '51010419900101002X', gender: 'female' }, member)
    expect(changed.gender).toBe('female')
  })
  it('sends dates only where they belong', () => {
    const f = { ...memberForm(member), status: 'probationary', standing: 'transferred_out', standing_on: '2020-01-01' }
    const b = memberBody(f, member)
    expect(b.full_member_on).toBe('')
    expect(b.standing_on).toBe('2020-01-01')
    expect(memberBody({ ...f, standing: 'registered' }, member).standing_on).toBe('')
    expect(memberBody({ ...f, mobile: false, mobile_place: '上海' }, member).mobile_place).toBe('')
  })
})

describe('member values', () => {
  it('names codes', () => {
    expect(memberHistoryValue('status', 'probationary')).toBe('预备党员')
    expect(memberHistoryValue('gig_type', 'rider')).toBe('外卖骑手')
    expect(memberHistoryValue('ethnicity', '01')).toBe('汉族')
    expect(memberHistoryValue('employer_id', null)).toBe('空')
    expect(memberHistoryValue('key_post', true)).toBe('是')
    expect(memberStatusTag('full').text).toBe('正式党员')
    expect(memberStandingTag('registered')).toEqual({ text: '在册', type: 'success' })
  })
})
