// The side menu for a user's permissions.

export interface MenuItem {
  path: string
  title: string
  icon: 'home' | 'org' | 'member' | 'enterprise' | 'coverage' | 'zone' | 'import' | 'user' | 'lock' | 'audit' | 'activity' | 'ledger' | 'theme'
  permission?: string
}

export const allMenuItems: MenuItem[] = [
  { path: '/', title: '首页', icon: 'home' },
  { path: '/party-orgs', title: '党组织', icon: 'org', permission: 'party_org.read' },
  { path: '/filings', title: '备案审批', icon: 'ledger', permission: 'party_org.read' },
  { path: '/members', title: '党员', icon: 'member', permission: 'member.read' },
  { path: '/organizations', title: '两新组织', icon: 'enterprise', permission: 'organization.read' },
  { path: '/coverage', title: '两个覆盖', icon: 'coverage', permission: 'organization.read' },
  { path: '/activities', title: '组织生活', icon: 'activity', permission: 'activity.read' },
  { path: '/compliance', title: '三会一课台账', icon: 'ledger', permission: 'activity.read' },
  { path: '/themes', title: '每月主题', icon: 'theme', permission: 'activity.read' },
  { path: '/zones', title: '园区楼宇', icon: 'zone', permission: 'party_org.read' },
  { path: '/imports', title: '数据导入', icon: 'import', permission: 'organization.write' },
  { path: '/users', title: '用户管理', icon: 'user', permission: 'user.read' },
  { path: '/settings/security', title: '安全设置', icon: 'lock', permission: 'security.settings' },
  { path: '/audit', title: '审计日志', icon: 'audit', permission: 'audit.read' },
]

export function menuFor(permissions: readonly string[] | null | undefined): MenuItem[] {
  const have = new Set(permissions ?? [])
  return allMenuItems.filter((m) => !m.permission || have.has(m.permission))
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
