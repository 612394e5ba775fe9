import { describe, expect, it } from 'vitest'
import { nextCode, normalizeRegionCode, streetsOf, zoneName } from './dayone'
import type { Region } from '../api/types'

const r = (code: string, sort = 0, level = 'street'): Region => ({ code, name: code, level, parent_code: '', functional_zone_code: '', sort, version: 1 })

describe('streets and communities', () => {
  it('proposes the next free code under a parent', () => {
    expect(nextCode('510104', [r('510104017'), r('510104037'), r('510104019001', 0, 'community')])).toBe('510104038')
    expect(nextCode('510104019', [r('510104019001'), r('510104019003')])).toBe('510104019004')
    expect(nextCode('510104019', [])).toBe('510104019001')
    expect(nextCode('510100-TF', [])).toBe('')
    expect(nextCode('510104', [r('510104999')])).toBe('')
  })
  it('shortens a street written with 12 digits', () => {
    expect(normalizeRegionCode(' 510104019000 ')).toBe('510104019')
    expect(normalizeRegionCode('510104019001')).toBe('510104019001')
  })
  it('lists streets by their order', () => {
    expect(streetsOf([r('510104037', 37), r('510104017', 17), r('510104017001', 1, 'community')]).map((x) => x.code)).toEqual(['510104017', '510104037'])
  })
  it('names the functional zones', () => {
    expect(zoneName('510100-GX')).toBe('成都高新区')
    expect(zoneName('')).toBe('')
  })
})
