import { reactive, ref, watch } from 'vue'
import type { Ref } from 'vue'
import { applyFieldErrors, notifyError, notifySuccess } from './notify'

/** The part of Element Plus's FormInstance this needs. */
export interface FormLike {
  validate: () => Promise<unknown>
  clearValidate?: () => void
}

export interface FormSubmitOptions {
  /** The ElForm to validate before saving and to clear when reset. */
  form?: Ref<FormLike | undefined>
  /** A dialog's open state: each time it turns true, `onOpen` runs and the errors are cleared. */
  open?: () => boolean
  onOpen?: () => void
}

/**
 * The save of a form or dialog: a `saving` flag for the button, the server's
 * per-field messages beside the fields (`errors`, one key per field) and its
 * message as a notification.
 */
export function useFormSubmit<K extends string>(fields: readonly K[], opts: FormSubmitOptions = {}) {
  const errors = reactive(Object.fromEntries(fields.map((k) => [k, '']))) as Record<K, string>
  const saving = ref(false)

  /** Clears the server's and the form's own messages. */
  function reset() {
    applyFieldErrors(null, errors)
    opts.form?.value?.clearValidate?.()
  }

  if (opts.open) {
    watch(opts.open, (open) => {
      if (!open) return
      opts.onOpen?.()
      reset()
    })
  }

  /** Runs the form's own rules; true without a form. */
  async function valid(): Promise<boolean> {
    if (!opts.form) return true
    const f = opts.form.value
    if (!f) return false
    return !!(await f.validate().catch(() => false))
  }

  /** A client-side check of one field: false (and the message beside the field) when `value` is empty. */
  function need<V>(field: K, value: V, message: string): value is NonNullable<V> {
    if (value) return true
    errors[field] = message
    return false
  }

  /**
   * Saves: shows `success` when `action` resolves, else the error's message
   * and its field messages. Resolves to whether it succeeded.
   */
  async function run(action: () => Promise<unknown>, success?: string): Promise<boolean> {
    saving.value = true
    applyFieldErrors(null, errors)
    try {
      await action()
      if (success) notifySuccess(success)
      return true
    } catch (e) {
      applyFieldErrors(e, errors)
      notifyError(e)
      return false
    } finally {
      saving.value = false
    }
  }

  /** `valid()`, then `run()`. */
  async function submit(action: () => Promise<unknown>, success?: string): Promise<boolean> {
    if (!(await valid())) return false
    return run(action, success)
  }

  return { errors, saving, reset, valid, need, run, submit }
}
