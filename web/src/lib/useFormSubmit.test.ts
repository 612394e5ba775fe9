import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick, ref } from 'vue'
import { ApiError } from '../api/client'
import { useFormSubmit } from './useFormSubmit'
import type { FormLike } from './useFormSubmit'
import { notifyError, notifySuccess } from './notify'

vi.mock('./notify', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./notify')>()),
  notifyError: vi.fn(),
  notifySuccess: vi.fn(),
}))

beforeEach(() => {
  vi.mocked(notifyError).mockClear()
  vi.mocked(notifySuccess).mockClear()
})

function fakeForm(ok: boolean) {
  return {
    validate: vi.fn(() => (ok ? Promise.resolve(true) : Promise.reject(new Error('invalid')))),
    clearValidate: vi.fn(),
  } satisfies FormLike
}

describe('useFormSubmit', () => {
  it('saves and says so', async () => {
    const f = useFormSubmit(['name'])
    let during = false
    const ok = await f.run(async () => {
      during = f.saving.value
    }, '已保存')
    expect(ok).toBe(true)
    expect(during).toBe(true)
    expect(f.saving.value).toBe(false)
    expect(notifySuccess).toHaveBeenCalledWith('已保存')
    expect(notifyError).not.toHaveBeenCalled()
  })

  it('puts the server field messages beside the fields and shows the message', async () => {
    const f = useFormSubmit(['name', 'region', 'version'])
    const err = new ApiError(400, 'invalid', '提交的数据有误', { name: '请填写名称', other: 'x' })
    const ok = await f.run(() => Promise.reject(err), '已保存')
    expect(ok).toBe(false)
    expect(f.errors).toEqual({ name: '请填写名称', region: '', version: '' })
    expect(notifyError).toHaveBeenCalledWith(err)
    expect(notifySuccess).not.toHaveBeenCalled()
    expect(f.saving.value).toBe(false)
    // the next attempt starts clean
    await f.run(() => Promise.reject(new ApiError(409, 'conflict', '已被他人修改', { version: '已被他人修改' })))
    expect(f.errors).toEqual({ name: '', region: '', version: '已被他人修改' })
  })

  it('validates the form before saving', async () => {
    const form = ref<FormLike | undefined>(fakeForm(false))
    const f = useFormSubmit(['name'], { form })
    const action = vi.fn(() => Promise.resolve())
    expect(await f.submit(action)).toBe(false)
    expect(action).not.toHaveBeenCalled()
    form.value = fakeForm(true)
    expect(await f.submit(action, '好')).toBe(true)
    expect(action).toHaveBeenCalledTimes(1)
    // no form mounted yet: nothing to submit
    form.value = undefined
    expect(await f.submit(action)).toBe(false)
    // without a form option there is nothing to validate
    expect(await useFormSubmit(['a']).valid()).toBe(true)
  })

  it('checks a required field on the client', () => {
    const f = useFormSubmit(['party_org_id'])
    expect(f.need('party_org_id', 12, '请选择')).toBe(true)
    expect(f.errors.party_org_id).toBe('')
    expect(f.need('party_org_id', null, '请选择')).toBe(false)
    expect(f.errors.party_org_id).toBe('请选择')
  })

  it('resets when its dialog opens', async () => {
    const open = ref(false)
    const form = ref<FormLike | undefined>(fakeForm(true))
    const onOpen = vi.fn()
    const f = useFormSubmit(['name'], { form, open: () => open.value, onOpen })
    f.errors.name = 'old'
    open.value = true
    await nextTick()
    expect(onOpen).toHaveBeenCalledTimes(1)
    expect(f.errors.name).toBe('')
    expect(form.value?.clearValidate).toHaveBeenCalled()
    open.value = false
    await nextTick()
    expect(onOpen).toHaveBeenCalledTimes(1)
  })
})
