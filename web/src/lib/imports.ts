// What the import page shows of an import job.
import type { ImportError, ImportJob, ImportKind, ImportStatus } from '../api/types'

export const importKinds: { code: ImportKind; name: string }[] = [
  { code: 'organizations', name: '两新组织' },
  { code: 'members', name: '党员' },
]

export function kindName(k: ImportKind | string): string {
  return importKinds.find((x) => x.code === k)?.name ?? k
}

const statusNames: Record<string, string> = {
  queued: '排队中',
  validating: '正在校验',
  importing: '正在导入',
  done: '导入完成',
  failed: '导入失败',
  rejected: '未导入',
}

export function statusName(s: ImportStatus | string): string {
  return statusNames[s] ?? s
}

export type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger'

export function statusTag(s: ImportStatus | string): TagType {
  switch (s) {
    case 'done':
      return 'success'
    case 'rejected':
      return 'warning'
    case 'failed':
      return 'danger'
    default:
      return 'primary'
  }
}

/** A job in an end state is polled no more. */
export function finished(j: Pick<ImportJob, 'status'> | null | undefined): boolean {
  return !!j && (j.status === 'done' || j.status === 'failed' || j.status === 'rejected')
}

/** The progress bar's percentage, whole numbers 0..100. */
export function percent(j: Pick<ImportJob, 'progress' | 'status'> | null | undefined): number {
  if (!j) return 0
  if (finished(j)) return 100
  return Math.max(0, Math.min(100, Math.floor(j.progress * 100)))
}

/** "C列 组织名称": where a bad cell is, as a person looks for it in the file. */
export function cellPlace(e: ImportError): string {
  if (!e.column) return e.header || '整行'
  return `${e.column}列${e.header ? ' ' + e.header : ''}`
}

/** How many errors the page lists, and how many more the error copy holds. */
export function moreErrors(j: Pick<ImportJob, 'errors' | 'error_count'>): number {
  return Math.max(0, j.error_count - (j.errors?.length ?? 0))
}
