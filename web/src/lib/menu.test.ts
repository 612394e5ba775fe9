import { describe, expect, it } from 'vitest'
import { ALERT_SECTION, activeMenuPath, menuEntries, menuFor } from './menu'

const titles = (perms: string[] | null) => menuFor(perms).map((m) => m.title)

describe('menuFor', () => {
  it('gives everybody the home page', () => {
    expect(titles([])).toEqual(['首页'])
    expect(titles(null)).toEqual(['首页'])
  })
  it('follows the permissions of each role', () => {
    // district staff
    expect(titles(['party_org.read', 'party_org.write', 'dashboard.read'])).toEqual(['首页', '党组织', '备案审批', '园区楼宇'])
    expect(titles(['party_org.read', 'organization.read', 'organization.write'])).toEqual(['首页', '党组织', '备案审批', '两新组织', '两个覆盖', '党建情况统计', '重点产业链', '园区楼宇', '数据导入'])
    expect(titles(['party_org.read', 'member.read', 'member.write', 'organization.read'])).toEqual([
      '首页',
      '党组织',
      '备案审批',
      '党员',
      '两新组织',
      '两个覆盖',
      '党建情况统计',
      '重点产业链',
      '园区楼宇',
    ])
    expect(activeMenuPath('/members/12')).toBe('/members')
    // 系统管理员
    expect(titles(['user.read', 'user.write', 'dashboard.read'])).toEqual(['首页', '用户管理'])
    // 安全管理员
    expect(titles(['user.read', 'user.grant', 'security.settings'])).toEqual(['首页', '用户管理', '安全设置'])
    // 审计管理员
    expect(titles(['audit.read'])).toEqual(['首页', '审计日志'])
  })
  it('keeps the menu order whatever the permission order', () => {
    expect(titles(['audit.read', 'security.settings', 'user.read', 'organization.read', 'party_org.read'])).toEqual([
      '首页',
      '党组织',
      '备案审批',
      '两新组织',
      '两个覆盖',
      '党建情况统计',
      '重点产业链',
      '园区楼宇',
      '用户管理',
      '安全设置',
      '审计日志',
    ])
  })
})

describe('organizational life menu', () => {
  it('shows 组织生活, 三会一课台账 and 每月主题 to activity readers', () => {
    expect(titles(['party_org.read', 'activity.read', 'activity.write'])).toEqual(['首页', '党组织', '备案审批', '组织生活', '三会一课台账', '每月主题', '园区楼宇'])
    expect(activeMenuPath('/activities/12')).toBe('/activities')
    expect(activeMenuPath('/activities/12/poster')).toBe('/activities')
    expect(activeMenuPath('/compliance')).toBe('/compliance')
  })
})

describe('activeMenuPath', () => {
  it('maps nested routes to their menu entry', () => {
    expect(activeMenuPath('/')).toBe('/')
    expect(activeMenuPath('/party-orgs')).toBe('/party-orgs')
    expect(activeMenuPath('/party-orgs/42')).toBe('/party-orgs')
    expect(activeMenuPath('/settings/security')).toBe('/settings/security')
    expect(activeMenuPath('/party-orgs-x')).toBe('/')
    expect(activeMenuPath('/zones')).toBe('/zones')
    expect(activeMenuPath('/organizations/7')).toBe('/organizations')
  })
})

describe('防瘫预警 menu', () => {
  const staff = ['party_org.read', 'alert.read', 'alert.write']
  it('gives staff 待办 and the 防瘫预警 section; the rules only to city staff', () => {
    expect(titles(staff)).toEqual(['首页', '待办', '党组织', '备案审批', '预警看板', '预警列表', '园区楼宇'])
    expect(titles([...staff, 'alert.rules'])).toEqual(['首页', '待办', '党组织', '备案审批', '预警看板', '预警列表', '预警规则', '园区楼宇'])
    expect(titles(['user.read', 'alert.rules'])).not.toContain('待办')
  })
  it('groups the section at its first item', () => {
    const entries = menuEntries(menuFor(['party_org.read', 'activity.read', 'alert.read', 'alert.rules']))
    const shape = entries.map((e) => ('section' in e ? `${e.section}:${e.items.map((i) => i.title).join('/')}` : e.item.title))
    expect(shape).toEqual(['首页', '待办', '党组织', '备案审批', '组织生活', '三会一课台账', '每月主题', `${ALERT_SECTION}:预警看板/预警列表/预警规则`, '园区楼宇'])
    expect(menuEntries([])).toEqual([])
  })
  it('marks the alert pages', () => {
    expect(activeMenuPath('/alerts')).toBe('/alerts')
    expect(activeMenuPath('/alerts/dashboard')).toBe('/alerts/dashboard')
    expect(activeMenuPath('/alerts/rules')).toBe('/alerts/rules')
    expect(activeMenuPath('/todo')).toBe('/todo')
  })
})
