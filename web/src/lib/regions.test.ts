import { describe, expect, it } from 'vitest'
import { districtOf } from './regions'

const districts = ['510104', '510107', '510100-GX']

describe('districtOf', () => {
  it('keeps a district-level code', () => {
    expect(districtOf('510104', districts)).toBe('510104')
    expect(districtOf('510100-GX', districts)).toBe('510100-GX')
  })
  it('finds the district of a street from its code', () => {
    expect(districtOf('510104001', districts)).toBe('510104')
    expect(districtOf('510104001002', districts)).toBe('510104')
  })
  it('prefers the functional zone that administers a street', () => {
    expect(districtOf({ code: '510107006', parent_code: '510107', functional_zone_code: '510100-GX' }, districts)).toBe(
      '510100-GX',
    )
    expect(districtOf({ code: '510107006', parent_code: '510107', functional_zone_code: '' }, districts)).toBe('510107')
  })
  it('gives null for the city, unknown codes and nothing', () => {
    expect(districtOf('510100', districts)).toBeNull()
    expect(districtOf('999999001', districts)).toBeNull()
    expect(districtOf('', districts)).toBeNull()
    expect(districtOf(null, districts)).toBeNull()
  })
})
