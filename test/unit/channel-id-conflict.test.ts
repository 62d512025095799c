import { conflictChannelKey, isChannelIdConflict } from '../../src/core/channel-id-conflict';

describe('isChannelIdConflict (pages claiming the same Telegram channel id)', () => {
  const bound = { handle: 'sim_gamma', handles: ['sim_gamma_old', 'sim_gamma'], status: 'active', sourceIds: ['gamma'] };
  it('another source claiming an active, watched channel under a handle it never had is a conflict', () => {
    expect(isChannelIdConflict(bound, { sourceId: 'impostor', handle: 'impostor_page' })).toBe(true);
  });
  it('no conflict: the same source (a rename it follows), a handle the channel had, a channel not active, a new id', () => {
    expect(isChannelIdConflict(bound, { sourceId: 'gamma', handle: 'sim_gamma_renamed' })).toBe(false);
    expect(isChannelIdConflict(bound, { sourceId: 'other', handle: 'SIM_GAMMA_OLD' })).toBe(false);
    expect(isChannelIdConflict({ ...bound, status: 'removed' }, { sourceId: 'impostor', handle: 'impostor_page' })).toBe(false);
    expect(isChannelIdConflict(null, { sourceId: 'impostor', handle: 'impostor_page' })).toBe(false);
  });
  it('a conflicting claim is kept under its own key', () => {
    expect(conflictChannelKey('1700000003', 'Impostor_Page')).toBe('tg:1700000003~impostor_page');
  });
});
