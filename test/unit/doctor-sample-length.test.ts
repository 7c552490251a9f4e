// How long doctor samples the listen-overflow counters: 0.5 s for users; a
// test knob (TCPDIAG_DOCTOR_SAMPLE_MS, undocumented) lengthens it so the live
// Ctrl-C test knows doctor is still sampling when its signal lands.
import { describe, expect, it } from 'vitest';
import { COUNTER_SAMPLE_MS, counterSampleMs } from '../../src/doctor/host-facts.js';

describe('the counter sample length', () => {
  it('is 0.5 s without the knob', () => {
    expect(COUNTER_SAMPLE_MS).toBe(500);
    expect(counterSampleMs({})).toBe(500);
  });

  it('is the knob\'s whole ms, up to 10 minutes', () => {
    expect(counterSampleMs({ TCPDIAG_DOCTOR_SAMPLE_MS: '60000' })).toBe(60_000);
    expect(counterSampleMs({ TCPDIAG_DOCTOR_SAMPLE_MS: '600000' })).toBe(600_000);
  });

  it('ignores a value that is not one (the default stays)', () => {
    for (const v of ['', '0', '-5', '1.5', '2s', '600001', '1e3', ' 100']) expect(counterSampleMs({ TCPDIAG_DOCTOR_SAMPLE_MS: v }), v).toBe(500);
  });
});
