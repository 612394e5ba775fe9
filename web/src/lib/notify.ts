import { ElMessage } from 'element-plus'
import { ApiError } from '../api/client'

/** Shows an API error's Chinese message (401 is handled by the redirect). */
export function notifyError(e: unknown): void {
  if (e instanceof ApiError) {
    // 401 leads to the login page; a required password change or second
    // factor opens its own dialog
    if (e.status === 401 || e.code === 'password_change_required' || e.code === 'totp_enrolment_required') return
    ElMessage({ type: 'error', message: e.message, grouping: true, showClose: true })
    return
  }
  ElMessage({ type: 'error', message: '操作失败', grouping: true })
  console.error(e)
}

/** Shows that an operation succeeded. */
export function notifySuccess(message: string): void {
  ElMessage.success(message)
}

/** Copies an ApiError's field messages into a form's error map; returns true if any matched. */
export function applyFieldErrors(e: unknown, target: Record<string, string>, aliases: Record<string, string> = {}): boolean {
  for (const k of Object.keys(target)) target[k] = ''
  if (!(e instanceof ApiError)) return false
  let matched = false
  for (const [k, v] of Object.entries(e.fields)) {
    const key = aliases[k] ?? k
    if (key in target) {
      target[key] = v
      matched = true
    }
  }
  return matched
}
