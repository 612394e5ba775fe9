// What the import page shows of an import job.
import type { ImportError, ImportJob, ImportKind, ImportStatus } from '../api/types'

/** The kinds in the order a new deployment loads them, each with the permission it needs besides organization.write. */
export const importKinds: { code: ImportKind; name: string; permission?: string; hint: string }[] = [
  { code: 'regions', name: '镇街社区', permission: 'region.write', hint: '镇(街道)、社区(村)及其统计用区划代码；按代码新增或修改' },
  { code: 'party-orgs', name: '党组织', permission: 'party_org.write', hint: '上级可以是本文件中的另一行，各行顺序不限；带编号的行修改已有党组织，导出的文件改后可再导入' },
  { code: 'organizations', name: '两新组织', hint: '按统一社会信用代码新增或修改；属地、行业管理党组织填全称或编号' },
  { code: 'members', name: '党员', permission: 'member.write', hint: '按公民身份号码新增或修改；身份证号一列请设为“文本”格式' },
]

/** The import kinds an account may use. */
export function importKindsFor(can: (permission: string) => boolean) {
  return importKinds.filter((k) => !k.permission || can(k.permission))
}

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
