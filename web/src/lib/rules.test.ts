import { describe, expect, it } from 'vitest'
import { maxChars, nameRules, required } from './rules'

describe('form rules', () => {
  it('builds the usual rules', () => {
    expect(required('请选择类型')).toEqual({ required: true, message: '请选择类型', trigger: 'change' })
    expect(required('请输入姓名', 'blur').trigger).toBe('blur')
    expect(maxChars(200, '太长')).toEqual({ max: 200, message: '太长', trigger: 'blur' })
    expect(nameRules()).toEqual([
      { required: true, message: '请输入名称', trigger: 'blur' },
      { max: 100, message: '名称不能超过100个字', trigger: 'blur' },
    ])
  })
})
