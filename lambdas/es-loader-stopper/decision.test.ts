/**
 * The stopper's decision as a table: (alarm state, stored state, loader's concurrency and mappings now)
 * -> (action, the steps in order, whether an alert goes out). No AWS client is involved.
 */
import { describe, expect, it } from 'vitest';
import { decide, type StopperInputs, type StopperState } from './stopper';

const STORAGE = 'aes-siem-TotalFreeStorageSpaceRemainsLowAlarm';
const CUSTOM = 'custom-ingest-alarm';
const TIME = '2026-11-22T01:02:03Z';
const RUNNING: StopperState = { stopped: false };
const stopped = (alarms: string[], previousConcurrency: number | null = 7, pausedMappings: string[] = ['m1']): StopperState => ({ stopped: true, previousConcurrency, pausedMappings, alarms, since: TIME });

function inputs(alarmState: StopperInputs['alarmState'], state: StopperState, current: number | null, activeMappings: string[] = [], alarm = STORAGE): StopperInputs {
  return { alarm, alarmState, time: TIME, state, current, activeMappings, loaderFunctionName: 'aes-siem-es-loader', defaultConcurrency: 10 };
}

/** A step written compactly: `write`, `disable m1,m2`, `enable m1`, `concurrency 0`, `concurrency unreserved`. */
function steps(i: StopperInputs): string[] {
  return decide(i).steps.map((s) => {
    switch (s.kind) {
      case 'write-state':
        return s.state.stopped ? `write stopped(${s.state.alarms.join('+')}; ${s.state.previousConcurrency ?? 'unreserved'}; ${s.state.pausedMappings.join(',')})` : 'write running';
      case 'disable-mappings':
        return `disable ${s.uuids.join(',')}`;
      case 'enable-mappings':
        return `enable ${s.uuids.join(',')}`;
      case 'set-concurrency':
        return `concurrency ${s.value ?? 'unreserved'}`;
    }
  });
}

describe('Function: es-loader-stopper, decision', () => {
  it.each<[string, StopperInputs, string, string[], boolean]>([
    ['INSUFFICIENT_DATA is ignored', inputs('INSUFFICIENT_DATA', RUNNING, null), 'ignored', [], false],
    ['ALARM while running stops: state first, then mappings, then concurrency 0', inputs('ALARM', RUNNING, 7, ['m1', 'm2']), 'stopped', ['write stopped(' + STORAGE + '; 7; m1,m2)', 'disable m1,m2', 'concurrency 0'], true],
    ['ALARM on a loader already at 0 remembers the default, not 0', inputs('ALARM', RUNNING, 0), 'stopped', ['write stopped(' + STORAGE + '; 10; )', 'disable ', 'concurrency 0'], true],
    ['ALARM on an unreserved loader remembers "unreserved"', inputs('ALARM', RUNNING, null), 'stopped', ['write stopped(' + STORAGE + '; unreserved; )', 'disable ', 'concurrency 0'], true],
    ['a repeated ALARM while stopped changes nothing stored', inputs('ALARM', stopped([STORAGE]), 0), 'kept-stopped', ['disable '], true],
    ['a second alarm while stopped is remembered too', inputs('ALARM', stopped([STORAGE]), 0, [], CUSTOM), 'kept-stopped', [`write stopped(${STORAGE}+${CUSTOM}; 7; m1)`, 'disable '], true],
    ['ALARM while stopped pauses mappings a deploy enabled again, and sets 0 again', inputs('ALARM', stopped([STORAGE]), 5, ['m2']), 'kept-stopped', [`write stopped(${STORAGE}; 7; m1,m2)`, 'disable m2', 'concurrency 0'], true],
    ['OK while running (duplicate OK) does nothing and says nothing', inputs('OK', RUNNING, 10), 'kept-running', [], false],
    ['OK of one alarm while another holds ingestion stopped', inputs('OK', stopped([STORAGE, CUSTOM]), 0), 'kept-stopped', [`write stopped(${CUSTOM}; 7; m1)`], true],
    ['OK of the last alarm resumes: mappings, remembered concurrency, then state', inputs('OK', stopped([STORAGE]), 0), 'resumed', ['enable m1', 'concurrency 7', 'write running'], true],
    ['OK of the last alarm on a loader that was unreserved removes the reservation', inputs('OK', stopped([STORAGE], null), 0), 'resumed', ['enable m1', 'concurrency unreserved', 'write running'], true],
    ['OK after someone resumed by hand keeps their value and enables the mappings', inputs('OK', stopped([STORAGE]), 4), 'resumed-by-hand', ['enable m1', 'write running'], true],
  ])('%s', (_, input, action, expectedSteps, alerts) => {
    const d = decide(input);
    expect(d.action).toBe(action);
    expect(steps(input)).toEqual(expectedSteps);
    expect(d.alert !== undefined).toBe(alerts);
  });

  it('reports the state it leaves and what it tells the operator', () => {
    const d = decide(inputs('ALARM', RUNNING, 7, ['m1']));
    expect(d.next).toEqual({ stopped: true, previousConcurrency: 7, pausedMappings: ['m1'], alarms: [STORAGE], since: TIME });
    expect(d.concurrency).toBe(0);
    expect(d.alert).toEqual({
      what: 'set the reserved concurrency of aes-siem-es-loader to 0 (was 7) and disabled its 1 SQS event source mapping (messages wait in their queues); ingestion is stopped',
      resumeWith: 7,
      stillAlarming: [],
      pausedMappings: ['m1'],
    });
    expect(decide(inputs('OK', stopped([STORAGE, CUSTOM]), 0)).alert?.stillAlarming).toEqual([CUSTOM]);
  });
});
