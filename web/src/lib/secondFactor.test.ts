import { describe, expect, it } from 'vitest'
import { codeDigits, groupSecret, mustEnrol, needsSecondFactor, recoveryText } from './secondFactor'
import type { Me } from '../api/types'

const me = (over: Partial<Me>): Me => ({
  id: 1, username: 'jinjiang', display_name: '张三', roles: ['district_staff'], role_names: [], permissions: [],
  party_org_id: 1, party_org_name: '', party_org_path: '', must_change_password: false, password_expires_in_days: null,
  idle_timeout_minutes: 30, member: null, totp_enabled: false, totp_required: false, ...over,
})

describe('needsSecondFactor', () => {
  it('tells the second step from a logged-in user', () => {
    expect(needsSecondFactor({ second_factor_required: true, second_factor_expires_at: '2026-11-27T02:05:00Z' })).toBe(true)
    expect(needsSecondFactor(me({}))).toBe(false)
    expect(needsSecondFactor(null)).toBe(false)
  })
})

describe('mustEnrol', () => {
  it('only when required and not enrolled', () => {
    expect(mustEnrol(me({ totp_required: true }))).toBe(true)
    expect(mustEnrol(me({ totp_required: true, totp_enabled: true }))).toBe(false)
    expect(mustEnrol(me({ totp_enabled: true }))).toBe(false)
    expect(mustEnrol(me({}))).toBe(false)
    expect(mustEnrol(null)).toBe(false)
  })
})

describe('codeDigits', () => {
  it('keeps six digits, full-width ones too', () => {
    expect(codeDigits(' 123 456 ')).toBe('123456')
    expect(codeDigits('１２３４５６')).toBe('123456')
    expect(codeDigits('12a3456789')).toBe('123456')
    expect(codeDigits('')).toBe('')
  })
})

describe('groupSecret', () => {
  it('groups by four', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ')
    expect(groupSecret('')).toBe('')
  })
})

describe('recoveryText', () => {
  it('lists every code with the account', () => {
    const t = recoveryText('jinjiang', ['abcd-efgh-jkmn', 'pqrs-tuvw-xyz2'], new Date('2026-11-27T02:00:00Z'))
    expect(t).toContain('账号：jinjiang')
    expect(t).toContain('2026-11-27')
    expect(t).toContain(' 1. abcd-efgh-jkmn')
    expect(t).toContain(' 2. pqrs-tuvw-xyz2')
  })
})
