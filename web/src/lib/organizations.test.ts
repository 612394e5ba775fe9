import { describe, expect, it } from 'vitest'
import type { Organization } from '../api/types'
import {
  emptyOrganizationForm, employeesText, kindText, organizationBody, organizationFieldLabels, organizationForm,
  organizationHistoryValue, statusTag,
} from './organizations'
import { historyValue, visibleChanges } from './history'

const org: Organization = {
  id: 7, uscc: '91510104MA6C00001J', kind: 'social_org', subtype: 'foundation', name: '测试基金会',
  legal_representative: '张三', founder_name: '', founder_is_member: false, registered_on: null, status: 'active',
  address: '', region: '510104', longitude: 104.08, latitude: 30.65, zone_id: null, industry: 'S', chain: '', chain_name: '',
  employees: 60, employee_band: '50_99', revenue_band: '', flags: ['listed'], charter_includes_party: true,
  charter_includes_party_on: '2024-01-02', cross_appointment: false, secretary_is_head: true, union_established: false,
  youth_league_established: false, women_federation_established: false, area_manager_id: 2, industry_manager_id: null,
  created_at: '2026-01-02T03:04:05Z', updated_at: '2026-01-02T03:04:05Z', version: 3,
  region_name: '锦江区', zone_name: '', area_manager_name: '锦江区两新工委', industry_manager_name: '',
}

describe('organization display', () => {
  it('names kinds, bands and statuses', () => {
    expect(kindText(org)).toBe('社会组织（基金会）')
    expect(kindText({ kind: 'enterprise', subtype: '' })).toBe('非公企业')
    expect(employeesText(org)).toBe('60人（50–99人）')
    expect(employeesText({ employees: null, employee_band: '' })).toBe('')
    expect(statusTag('revoked')).toEqual({ text: '吊销', type: 'danger' })
  })
  it('labels every input field', () => {
    for (const k of Object.keys(emptyOrganizationForm())) expect(organizationFieldLabels[k], k).toBeTruthy()
  })
})

describe('organizationBody', () => {
  it('sends every field, clearing links with 0 and leaving out empty numbers', () => {
    const f = emptyOrganizationForm()
    Object.assign(f, { uscc: ' 91510104MA6C00001J ', name: ' 公司 ', region: '510104001', industry: 'G', area_manager_id: 2,
      flags: ['specialized', 'listed'], charter_includes_party_on: '2024-01-01' })
    const b = organizationBody(f)
    expect(b.uscc).toBe('91510104MA6C00001J')
    expect(b.name).toBe('公司')
    expect(b.zone_id).toBe(0)
    expect(b.industry_manager_id).toBe(0)
    expect(b.registered_on).toBe('')
    expect(b.flags).toEqual(['listed', 'specialized'])
    expect(b.charter_includes_party_on).toBe('') // 党建入章 is off
    expect('longitude' in b || 'latitude' in b || 'employees' in b).toBe(false)
    expect(b.status).toBe('active')
  })
  it('round-trips an organization', () => {
    const b = organizationBody(organizationForm(org))
    expect(b).toMatchObject({ longitude: 104.08, latitude: 30.65, employees: 60, charter_includes_party_on: '2024-01-02',
      area_manager_id: 2, industry_manager_id: 0, secretary_is_head: true, flags: ['listed'] })
    expect(b.version).toBeUndefined()
  })
})

describe('history values', () => {
  it('hides bookkeeping fields and names codes', () => {
    const changes = { version: { from: 1, to: 2 }, name: { from: 'a', to: 'b' }, id: { from: 0, to: 7 } }
    expect(visibleChanges(changes, ['id']).map(([k]) => k)).toEqual(['name'])
    expect(organizationHistoryValue('status', 'active')).toBe('存续/在业')
    expect(organizationHistoryValue('flags', ['listed', 'high_tech'])).toBe('上市、高新技术')
    expect(organizationHistoryValue('flags', null)).toBe('空')
    expect(organizationHistoryValue('industry_manager_id', 0)).toBe('空')
    expect(organizationHistoryValue('cross_appointment', true)).toBe('是')
    expect(organizationHistoryValue('employees', 30)).toBe('30')
    expect(historyValue({ a: 1 })).toBe('{"a":1}')
  })
})
