// Chinese names of the API's codes; those of the domain's lists come from
// codes.gen.ts (go generate ./...).
import * as codes from './codes.gen'

export const auditActions: { code: string; name: string }[] = [
  { code: 'login', name: '登录' },
  { code: 'login_failed', name: '登录失败' },
  { code: 'logout', name: '退出' },
  { code: 'password_change', name: '修改密码' },
  { code: 'create', name: '新建' },
  { code: 'update', name: '修改' },
  { code: 'move', name: '移动' },
  { code: 'dissolve', name: '撤销' },
  { code: 'reset_password', name: '重置密码' },
  { code: 'unlock', name: '解锁' },
  { code: 'grant', name: '授权' },
  { code: 'settings_change', name: '设置变更' },
  { code: 'permission_denied', name: '越权访问' },
  { code: 'reveal', name: '查看个人信息明文' },
  { code: 'export', name: '导出' },
  { code: 'delete', name: '删除' },
  { code: 'import', name: '导入' },
  { code: 'cancel', name: '取消' },
  { code: 'activate', name: '激活账号' },
  { code: 'issue_code', name: '生成激活码' },
  { code: 'probe', name: '访问不存在或范围外的记录' },
  { code: 'cross_origin_refused', name: '拒绝跨站请求' },
  { code: 'submit', name: '提交备案或请示' },
  { code: 'approve', name: '审批通过' },
  { code: 'return', name: '退回' },
  { code: 'withdraw', name: '撤回' },
  // the second login factor (动态口令)
  { code: 'totp_enable', name: '启用双因素认证' },
  { code: 'totp_disable', name: '停用双因素认证' },
  { code: 'totp_reset', name: '重置双因素认证' },
  { code: 'recovery_codes', name: '重新生成恢复码' },
  { code: 'recovery_code_used', name: '使用恢复码登录' },
  { code: 'pii_lookup', name: '按身份证号或手机号查询' },
]

const actionNames: Record<string, string> = Object.fromEntries(auditActions.map((a) => [a.code, a.name]))
// 书记备案 and 换届 (issue 5): the org's history entries
Object.assign(actionNames, {
  secretary_filing: '书记备案',
  election: '换届选举',
  term: '登记任期',
  term_change: '延期/提前换届',
})

export function actionName(code: string | null | undefined): string {
  if (!code) return ''
  return actionNames[code] ?? code
}

export const objectTypes: { code: string; name: string }[] = [
  { code: 'party_org', name: '党组织' },
  { code: 'user', name: '用户' },
  { code: 'settings', name: '安全设置' },
  { code: 'zone', name: '园区/楼宇' },
  { code: 'route', name: '接口' },
]

const objectTypeNames: Record<string, string> = Object.fromEntries(objectTypes.map((o) => [o.code, o.name]))
objectTypeNames.security_settings = '安全设置'
objectTypeNames.session = '会话'
// 两个覆盖: links, assignments, daily snapshots, the uncovered list's export
objectTypeNames.coverage_link = '覆盖关系'
objectTypeNames.coverage_assignment = '指导员/联络员派驻'
objectTypeNames.coverage_snapshot = '两个覆盖快照'
objectTypeNames.coverage_uncovered = '未覆盖组织清单'
// Organizational life
objectTypeNames.activity = '组织生活活动'
// 书记备案 and 换届 (issue 5)
objectTypeNames.secretary_filing = '书记备案'
objectTypeNames.election = '换届选举'
objectTypeNames.term_change = '延期/提前换届申请'
objectTypeNames.attendance = '出勤登记'
objectTypeNames.attachment = '活动附件'
objectTypeNames.monthly_theme = '每月主题'
objectTypeNames.compliance_ledger = '三会一课台账'
// Day one (issue 13)
objectTypeNames.region = '镇街/社区'
objectTypeNames.party_group = '党小组'

export function objectTypeName(code: string | null | undefined): string {
  if (!code) return ''
  return objectTypeNames[code] ?? code
}

export const roleNames: Record<string, string> = Object.fromEntries(codes.roles.map((r) => [r.code, r.name]))

export function roleName(code: string): string {
  return roleNames[code] ?? code
}

export const partyOrgTypeNames: Record<string, string> = Object.fromEntries(codes.partyOrgTypes.map((t) => [t.code, t.name]))

/** Zone kinds, for when GET /api/v1/meta has not answered. */
export const zoneKinds: readonly { code: string; name: string }[] = codes.zoneKinds

export function resultTag(result: string | null | undefined): { text: string; type: 'success' | 'danger' | 'info' } {
  switch (result) {
    case 'success':
    case 'ok':
      return { text: '成功', type: 'success' }
    case 'failure':
    case 'failed':
    case 'fail':
    case 'error':
      return { text: '失败', type: 'danger' }
    case 'denied':
      return { text: '拒绝', type: 'danger' }
    case '':
    case null:
    case undefined:
      return { text: '', type: 'info' }
    default:
      return { text: result, type: 'info' }
  }
}

export const partyOrgFieldLabels: Record<string, string> = {
  name: '名称',
  short_name: '简称',
  type: '类型',
  parent_id: '上级党组织',
  region: '行政区划',
  founded_on: '成立日期',
  secretary_name: '书记',
  term_start: '本届开始',
  term_years: '任期',
  term_end: '本届届满',
  status: '状态',
  dissolved_on: '撤销日期',
  dissolve_reason: '撤销原因',
  secretary_member_id: '书记（党员编号）',
  secretary_since: '书记任职日期',
  secretary_vacant_since: '书记空缺起始',
  secretary_unfiled_since: '书记变更未备案起始',
  committee_size: '委员会人数',
  postponed_to: '批准延期至',
  path: '路径',
}

export function userStatus(u: { disabled: boolean; locked_until?: string | null }, now: Date = new Date()):
  { text: string; type: 'success' | 'warning' | 'info' } {
  if (u.disabled) return { text: '已停用', type: 'info' }
  if (u.locked_until && Date.parse(u.locked_until) > now.getTime()) return { text: '已锁定', type: 'warning' }
  return { text: '正常', type: 'success' }
}

/** Role codes of an audit event: the server may send a list or a comma-separated string. */
export function roleList(roles: string[] | string | null | undefined): string[] {
  if (!roles) return []
  if (Array.isArray(roles)) return roles
  return roles
    .split(/[,，\s]+/)
    .map((r) => r.trim())
    .filter(Boolean)
}
