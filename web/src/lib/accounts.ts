// Who may do what on the 用户管理 page: the server's rules (internal/domain/
// grant.go), so that the page offers only what the server will accept.
import type { RoleInfo } from '../api/types'
import { roles } from './codes.gen'

const ADMIN_ROLES = new Set<string>(roles.filter((r) => r.admin).map((r) => r.code))

/** The roles as GET /meta lists them, or the domain's (codes.gen.ts) before it answers. */
export function rolesOrDefault(fromMeta: RoleInfo[] | null | undefined): RoleInfo[] {
  if (fromMeta?.length) return fromMeta
  return roles.map((r) => ({ ...r, granted_by: [...r.granted_by] }))
}

/** The roles a caller holding `mine` may assign or remove. */
export function grantableRoles(all: readonly RoleInfo[], mine: readonly string[] | null | undefined): RoleInfo[] {
  const have = new Set(mine ?? [])
  return all.filter((r) => (r.granted_by ?? []).some((g) => have.has(g)))
}

/** Whether an account holds one of the 三员 roles. */
export function isAdminAccount(roles: readonly string[]): boolean {
  return roles.some((r) => ADMIN_ROLES.has(r))
}

export interface AccountActions {
  edit: boolean
  reset: boolean
  unlock: boolean
  grant: boolean
}

/**
 * What the caller may do to an account: none of it on another 三员 account
 * (those are recovered on the server's shell), only the name of their own.
 */
export function accountActions(
  target: { id: number; roles: readonly string[] },
  me: { id: number } | null | undefined,
  can: (permission: string) => boolean,
): AccountActions {
  const self = !!me && me.id === target.id
  if (!self && isAdminAccount(target.roles)) return { edit: false, reset: false, unlock: false, grant: false }
  const write = can('user.write')
  return { edit: write, reset: write && !self, unlock: write && !self, grant: can('user.grant') && !self }
}
