// The side menu for a user's permissions.

export interface MenuItem {
  path: string
  title: string
  icon:
    | 'home' | 'org' | 'member' | 'enterprise' | 'coverage' | 'zone' | 'import' | 'user' | 'lock' | 'audit' | 'activity' | 'ledger' | 'theme'
    | 'todo' | 'alert-dashboard' | 'alert' | 'rule' | 'filing' | 'region' | 'chain' | 'flags'
  permission?: string
  /** the sub-menu it sits in (e.g. 防瘫预警) */
  section?: string
}

/** A top-level entry of the side menu: one item, or a section of items. */
export type MenuEntry = { item: MenuItem } | { section: string; items: MenuItem[] }

export const ALERT_SECTION = '防瘫预警'

export const allMenuItems: MenuItem[] = [
  { path: '/', title: '首页', icon: 'home' },
  { path: '/todo', title: '待办', icon: 'todo', permission: 'alert.read' },
  { path: '/party-orgs', title: '党组织', icon: 'org', permission: 'party_org.read' },
  { path: '/filings', title: '备案审批', icon: 'filing', permission: 'party_org.read' },
  { path: '/members', title: '党员', icon: 'member', permission: 'member.read' },
  { path: '/organizations', title: '两新组织', icon: 'enterprise', permission: 'organization.read' },
  { path: '/coverage', title: '两个覆盖', icon: 'coverage', permission: 'organization.read' },
  { path: '/org-flags', title: '党建情况统计', icon: 'flags', permission: 'organization.read' },
  { path: '/chains', title: '重点产业链', icon: 'chain', permission: 'organization.read' },
  { path: '/activities', title: '组织生活', icon: 'activity', permission: 'activity.read' },
  { path: '/compliance', title: '三会一课台账', icon: 'ledger', permission: 'activity.read' },
  { path: '/themes', title: '每月主题', icon: 'theme', permission: 'activity.read' },
  { path: '/alerts/dashboard', title: '预警看板', icon: 'alert-dashboard', permission: 'alert.read', section: ALERT_SECTION },
  { path: '/alerts', title: '预警列表', icon: 'alert', permission: 'alert.read', section: ALERT_SECTION },
  { path: '/alerts/rules', title: '预警规则', icon: 'rule', permission: 'alert.rules', section: ALERT_SECTION },
  { path: '/zones', title: '园区楼宇', icon: 'zone', permission: 'party_org.read' },
  { path: '/regions', title: '镇街社区', icon: 'region', permission: 'region.write' },
  { path: '/imports', title: '数据导入', icon: 'import', permission: 'organization.write' },
  { path: '/users', title: '用户管理', icon: 'user', permission: 'user.read' },
  { path: '/settings/security', title: '安全设置', icon: 'lock', permission: 'security.settings' },
  { path: '/audit', title: '审计日志', icon: 'audit', permission: 'audit.read' },
]

export function menuFor(permissions: readonly string[] | null | undefined): MenuItem[] {
  const have = new Set(permissions ?? [])
  return allMenuItems.filter((m) => !m.permission || have.has(m.permission))
}

/** Groups a menu's items by section, at the place of each section's first item. */
export function menuEntries(items: readonly MenuItem[]): MenuEntry[] {
  const out: MenuEntry[] = []
  const sections = new Map<string, MenuItem[]>()
  for (const m of items) {
    if (!m.section) {
      out.push({ item: m })
      continue
    }
    let list = sections.get(m.section)
    if (!list) {
      list = []
      sections.set(m.section, list)
      out.push({ section: m.section, items: list })
    }
    list.push(m)
  }
  return out
}

/** The menu entry a route belongs to ("/party-orgs/12" → "/party-orgs"). */
export function activeMenuPath(routePath: string): string {
  let best = '/'
  for (const m of allMenuItems) {
    if (m.path !== '/' && (routePath === m.path || routePath.startsWith(m.path + '/')) && m.path.length > best.length) {
      best = m.path
    }
  }
  return best
}
