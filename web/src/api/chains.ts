// 重点产业链 and the organizations' Party-building flags counted by district,
// zone, industry or chain. The shapes are the served OpenAPI document's.
import { api, request } from './client'
import type { Query } from './client'
import type { Schemas as S } from './types'

const V1 = '/api/v1'

export type IndustryChain = S['IndustryChainView']
export type ChainInput = S['ChainInput']
export type FlagCounts = S['FlagCounts']
export type FlagCountRow = S['FlagCountRow']
export type FlagCountsBy = 'region' | 'zone' | 'industry' | 'chain'

export interface FlagCountsFilter {
  region?: string
  zone?: number
  industry?: string
  chain?: string
}

export const chainApi = {
  list: (retired = false) => api.get<IndustryChain[]>(`${V1}/industry-chains`, { retired: retired || undefined }),
  get: (id: number) => api.get<IndustryChain>(`${V1}/industry-chains/${id}`),
  create: (body: ChainInput) => api.post<IndustryChain>(`${V1}/industry-chains`, body),
  update: (id: number, body: ChainInput) => api.patch<IndustryChain>(`${V1}/industry-chains/${id}`, body),
  /** makes the organization the chain's 链主企业 (moving it onto the chain); answers the chain */
  setMaster: (orgId: number, chainId: number) =>
    request<IndustryChain>('PUT', `${V1}/organizations/${orgId}/chain-master`, { body: { chain_id: chainId } }),
  /** ends the organization's being its chain's 链主企业; answers the chain */
  endMaster: (orgId: number) => request<IndustryChain>('DELETE', `${V1}/organizations/${orgId}/chain-master`),
  flagCounts: (by: FlagCountsBy, f: FlagCountsFilter) => api.get<FlagCounts>(`${V1}/organizations/flag-counts`, { by, ...f } as Query),
}
