// The registry's reference lists. The server serves them in GET /api/v1/meta
// (`registry`); until that answer comes (or when it lacks a list) the copies
// here are used: they mirror internal/domain/refdata.go (codes, Chinese names
// and display order), and refdata.test.ts compares them with the Go source.
// The exported lists are reactive: applyRegistry() replaces their contents
// with the server's, and whatever shows them is updated.
import { shallowReactive } from 'vue'

export interface CodeName {
  code: string
  name: string
}

export type CodeList = readonly CodeName[]

const list = (pairs: [string, string][]): CodeList => shallowReactive(pairs.map(([code, name]) => ({ code, name })))

/** Organization kinds, derived from the USCC by the server. */
export const orgKinds = list([
  ['enterprise', '非公企业'],
  ['individual_business', '个体工商户'],
  ['cooperative', '农民专业合作社'],
  ['social_org', '社会组织'],
])

/** Subtypes of social organizations. */
export const orgSubtypes = list([
  ['association', '社会团体'],
  ['service_institution', '社会服务机构（民办非企业单位）'],
  ['foundation', '基金会'],
])

/** Organization statuses (登记状态). */
export const orgStatuses = list([
  ['active', '存续/在业'],
  ['suspended', '停业'],
  ['moved_out', '迁出'],
  ['deregistered', '注销'],
  ['revoked', '吊销'],
  ['abnormal', '经营异常'],
])

/** The 20 sections (门类) of GB/T 4754-2017. */
export const industries = list([
  ['A', '农、林、牧、渔业'],
  ['B', '采矿业'],
  ['C', '制造业'],
  ['D', '电力、热力、燃气及水生产和供应业'],
  ['E', '建筑业'],
  ['F', '批发和零售业'],
  ['G', '交通运输、仓储和邮政业'],
  ['H', '住宿和餐饮业'],
  ['I', '信息传输、软件和信息技术服务业'],
  ['J', '金融业'],
  ['K', '房地产业'],
  ['L', '租赁和商务服务业'],
  ['M', '科学研究和技术服务业'],
  ['N', '水利、环境和公共设施管理业'],
  ['O', '居民服务、修理和其他服务业'],
  ['P', '教育'],
  ['Q', '卫生和社会工作'],
  ['R', '文化、体育和娱乐业'],
  ['S', '公共管理、社会保障和社会组织'],
  ['T', '国际组织'],
])

/** Employee-count bands (derived by the server from the count). */
export const employeeBands = list([
  ['lt10', '10人以下'],
  ['10_49', '10–49人'],
  ['50_99', '50–99人'],
  ['100_299', '100–299人'],
  ['300_999', '300–999人'],
  ['1000_plus', '1000人及以上'],
])

/** Annual revenue bands (年营业收入). */
export const revenueBands = list([
  ['lt1m', '100万元以下'],
  ['1m_5m', '100万–500万元'],
  ['5m_20m', '500万–2000万元'],
  ['20m_100m', '2000万–1亿元'],
  ['100m_1b', '1亿–10亿元'],
  ['1b_plus', '10亿元及以上'],
])

/** Organization flags (标签). */
export const orgFlags = list([
  ['above_scale', '规模以上'],
  ['listed', '上市'],
  ['specialized', '专精特新'],
  ['chain_master', '链主'],
  ['high_tech', '高新技术'],
  ['trade_association', '行业协会商会'],
  ['private_education', '民办教育'],
  ['private_medical', '民办医疗'],
  ['professional_services', '律师/会计/中介机构'],
  ['brand_social_org', '品牌社会组织'],
])

/** The 56 民族 (GB/T 3304-1991) and the two residual codes. */
export const ethnicities = list([
  ['01', '汉族'], ['02', '蒙古族'], ['03', '回族'], ['04', '藏族'],
  ['05', '维吾尔族'], ['06', '苗族'], ['07', '彝族'], ['08', '壮族'],
  ['09', '布依族'], ['10', '朝鲜族'], ['11', '满族'], ['12', '侗族'],
  ['13', '瑶族'], ['14', '白族'], ['15', '土家族'], ['16', '哈尼族'],
  ['17', '哈萨克族'], ['18', '傣族'], ['19', '黎族'], ['20', '傈僳族'],
  ['21', '佤族'], ['22', '畲族'], ['23', '高山族'], ['24', '拉祜族'],
  ['25', '水族'], ['26', '东乡族'], ['27', '纳西族'], ['28', '景颇族'],
  ['29', '柯尔克孜族'], ['30', '土族'], ['31', '达斡尔族'], ['32', '仫佬族'],
  ['33', '羌族'], ['34', '布朗族'], ['35', '撒拉族'], ['36', '毛南族'],
  ['37', '仡佬族'], ['38', '锡伯族'], ['39', '阿昌族'], ['40', '普米族'],
  ['41', '塔吉克族'], ['42', '怒族'], ['43', '乌孜别克族'], ['44', '俄罗斯族'],
  ['45', '鄂温克族'], ['46', '德昂族'], ['47', '保安族'], ['48', '裕固族'],
  ['49', '京族'], ['50', '塔塔尔族'], ['51', '独龙族'], ['52', '鄂伦春族'],
  ['53', '赫哲族'], ['54', '门巴族'], ['55', '珞巴族'], ['56', '基诺族'],
  ['97', '其他'], ['98', '外国血统中国籍人士'],
])

/** Education levels (GB/T 4658-2006, simplified), highest first. */
export const educationLevels = list([
  ['postgraduate', '研究生'],
  ['bachelor', '大学本科'],
  ['associate', '大学专科'],
  ['secondary_vocational', '中专/中技'],
  ['high_school', '高中'],
  ['junior_or_below', '初中及以下'],
])

export const memberStatuses = list([
  ['full', '正式党员'],
  ['probationary', '预备党员'],
])

/** Member standings (党籍/在册状态). */
export const memberStandings = list([
  ['registered', '在册'],
  ['transferred_out', '已转出'],
  ['suspended', '停止党籍'],
  ['expelled', '出党'],
  ['deceased', '去世'],
])

export const genders = list([
  ['male', '男'],
  ['female', '女'],
])

/** New-employment-group (新就业群体) types. */
export const gigTypes = list([
  ['courier', '快递员'],
  ['rider', '外卖骑手'],
  ['ride_hailing', '网约车司机'],
  ['truck_driver', '货车司机'],
  ['live_streamer', '电商主播'],
  ['other', '其他'],
])

/** The lists by their name in GET /api/v1/meta's `registry`. */
const byMetaName: Record<string, CodeList> = {
  org_kinds: orgKinds,
  org_subtypes: orgSubtypes,
  org_statuses: orgStatuses,
  industries,
  employee_bands: employeeBands,
  revenue_bands: revenueBands,
  org_flags: orgFlags,
  ethnicities,
  education_levels: educationLevels,
  member_statuses: memberStatuses,
  member_standings: memberStandings,
  genders,
  gig_types: gigTypes,
}

function validList(l: unknown): l is CodeName[] {
  return (
    Array.isArray(l) &&
    l.length > 0 &&
    l.every((c) => c && typeof c === 'object' && typeof c.code === 'string' && typeof c.name === 'string')
  )
}

/**
 * Uses the server's lists (GET /api/v1/meta `registry`) instead of the copies;
 * a list missing or malformed there keeps its copy. Returns the names applied.
 */
export function applyRegistry(registry: Record<string, unknown> | null | undefined): string[] {
  const applied: string[] = []
  if (!registry || typeof registry !== 'object') return applied
  for (const [key, target] of Object.entries(byMetaName)) {
    const l = registry[key]
    if (!validList(l)) continue
    ;(target as CodeName[]).splice(0, target.length, ...l.map((c) => ({ code: c.code, name: c.name })))
    applied.push(key)
  }
  return applied
}

/** The name of a code in a list; the code itself when unknown, '' for empty. */
export function nameOf(l: CodeList, code: string | null | undefined): string {
  if (!code) return ''
  return l.find((c) => c.code === code)?.name ?? code
}

const employeeBandFloors = [0, 10, 50, 100, 300, 1000]

/** The band code for n employees, as the server derives it ('' when n < 0 or unknown). */
export function employeeBandOf(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return ''
  let band = ''
  employeeBandFloors.forEach((floor, i) => {
    if (n >= floor) band = employeeBands[i].code
  })
  return band
}
