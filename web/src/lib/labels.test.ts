import { describe, expect, it } from 'vitest'
import { actionName, auditActions, objectTypeName, resultTag, roleList, userStatus } from './labels'

describe('audit labels', () => {
  it('names all the actions of the API contract', () => {
    const codes = [
      'login', 'login_failed', 'logout', 'password_change', 'create', 'update', 'move', 'dissolve',
      'reset_password', 'unlock', 'grant', 'settings_change', 'permission_denied', 'reveal', 'export', 'delete', 'import', 'cancel', 'activate', 'issue_code',
      'probe', 'cross_origin_refused',
      'submit', 'approve', 'return', 'withdraw',
      'totp_enable', 'totp_disable', 'totp_reset', 'recovery_codes', 'recovery_code_used',
      'pii_lookup',
    ]
    expect(auditActions.map((a) => a.code)).toEqual(codes)
    expect(actionName('login_failed')).toBe('登录失败')
    expect(actionName('permission_denied')).toBe('越权访问')
    expect(actionName('something_new')).toBe('something_new')
    expect(objectTypeName('party_org')).toBe('党组织')
  })
  it('tags results', () => {
    expect(resultTag('success').text).toBe('成功')
    expect(resultTag('failure').text).toBe('失败')
    expect(resultTag(undefined).text).toBe('')
  })
})

describe('userStatus', () => {
  const now = new Date('2026-03-01T00:00:00Z')
  it('prefers disabled over locked', () => {
    expect(userStatus({ disabled: true, locked_until: '2026-03-02T00:00:00Z' }, now).text).toBe('已停用')
    expect(userStatus({ disabled: false, locked_until: '2026-03-02T00:00:00Z' }, now).text).toBe('已锁定')
    expect(userStatus({ disabled: false, locked_until: '2026-02-28T00:00:00Z' }, now).text).toBe('正常')
    expect(userStatus({ disabled: false }, now).text).toBe('正常')
  })
})

describe('roleList', () => {
  it('accepts a list or a comma-separated string', () => {
    expect(roleList(['auditor'])).toEqual(['auditor'])
    expect(roleList('district_staff')).toEqual(['district_staff'])
    expect(roleList('sysadmin,secadmin')).toEqual(['sysadmin', 'secadmin'])
    expect(roleList('')).toEqual([])
    expect(roleList(null)).toEqual([])
  })
})
