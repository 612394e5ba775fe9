import { describe, expect, it } from 'vitest'
import { accountActions, grantableRoles, isAdminAccount, rolesOrDefault } from './accounts'

const roles = rolesOrDefault(null)
const codes = (rs: { code: string }[]) => rs.map((r) => r.code)

describe('grantableRoles', () => {
  it('gives the 系统管理员 the business roles only', () => {
    expect(codes(grantableRoles(roles, ['sysadmin']))).toEqual(['city_staff', 'district_staff', 'committee_staff', 'org_staff'])
  })
  it('gives the 安全管理员 the business and personal-data roles', () => {
    expect(codes(grantableRoles(roles, ['secadmin']))).toEqual([
      'city_staff', 'district_staff', 'committee_staff', 'org_staff', 'pii_viewer', 'pii_exporter',
    ])
  })
  it('gives nobody else anything, and never a 三员 role or 党员', () => {
    expect(grantableRoles(roles, ['auditor'])).toEqual([])
    expect(grantableRoles(roles, ['city_staff', 'pii_viewer'])).toEqual([])
    expect(grantableRoles(roles, undefined)).toEqual([])
  })
  it('follows the server when GET /meta answered', () => {
    const server = [{ code: 'x', name: 'X', admin: false, granted_by: ['auditor'] }]
    expect(codes(grantableRoles(server, ['auditor']))).toEqual(['x'])
  })
})

describe('accountActions', () => {
  const all = () => true
  const writer = (p: string) => p === 'user.write'
  const granter = (p: string) => p === 'user.grant'
  it('offers nothing on another 三员 account', () => {
    for (const r of ['sysadmin', 'secadmin', 'auditor']) {
      expect(accountActions({ id: 2, roles: [r] }, { id: 1 }, all)).toEqual({ edit: false, reset: false, unlock: false, grant: false })
    }
  })
  it('offers the name of one’s own account only', () => {
    expect(accountActions({ id: 1, roles: ['sysadmin'] }, { id: 1 }, writer)).toEqual({ edit: true, reset: false, unlock: false, grant: false })
    expect(accountActions({ id: 1, roles: ['secadmin'] }, { id: 1 }, granter)).toEqual({ edit: false, reset: false, unlock: false, grant: false })
  })
  it('splits business accounts between the two administrators', () => {
    expect(accountActions({ id: 3, roles: ['district_staff'] }, { id: 1 }, writer)).toEqual({ edit: true, reset: true, unlock: true, grant: false })
    expect(accountActions({ id: 3, roles: ['district_staff', 'pii_viewer'] }, { id: 1 }, granter)).toEqual({
      edit: false, reset: false, unlock: false, grant: true,
    })
  })
  it('knows the 三员 roles', () => {
    expect(isAdminAccount(['auditor'])).toBe(true)
    expect(isAdminAccount(['org_staff', 'pii_exporter'])).toBe(false)
  })
})
