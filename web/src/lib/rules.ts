// Element Plus form rules used across the forms (the server checks the same).
import type { FormItemRule } from 'element-plus'

export function required(message: string, trigger: 'blur' | 'change' = 'change'): FormItemRule {
  return { required: true, message, trigger }
}

export function maxChars(max: number, message: string): FormItemRule {
  return { max, message, trigger: 'blur' }
}

/** A record's name: required, at most 100 characters. */
export function nameRules(): FormItemRule[] {
  return [required('请输入名称', 'blur'), maxChars(100, '名称不能超过100个字')]
}
