import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { splitFirelens } from './firelens';

async function* chunks(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += 5) yield text.slice(i, i + 5);
}

describe('via_firelens', () => {
  it('makes each FireLens line one record: the log line as its text, the ECS metadata beside it; blank lines are not records', async () => {
    const text = [
      '{"container_id":"c1","container_name":"app","source":"stdout","log":"hello","ecs_cluster":"k","ecs_task_arn":"arn:aws:ecs:eu-west-1:111122223333:task/k/1","ecs_task_definition":"app:1","extra":"x"}',
      '',
      '{"source":"stderr","log":"oops","container_name":"app"}',
    ].join('\n');
    const out = [];
    for await (const b of splitFirelens(chunks(text))) out.push(...b);
    expect(out).toEqual([
      { record: 0, line: 1, text: 'hello', firelens: { container_id: 'c1', container_name: 'app', source: 'stdout', ecs_cluster: 'k', ecs_task_arn: 'arn:aws:ecs:eu-west-1:111122223333:task/k/1', ecs_task_definition: 'app:1' } },
      { record: 1, line: 3, text: 'oops', firelens: { source: 'stderr', container_name: 'app' } },
    ]);
  });

  it('cannot be combined with via_cwl', () => {
    expect(() => pipeline({ userIni: '[x]\ns3_key = /x/\nfile_format = json\nindex_name = log-x\nvia_cwl = True\nvia_firelens = True\n' })).toThrow(
      'user.ini: [x] via_firelens: cannot be combined with via_cwl = True: a section reads either CloudWatch Logs messages or FireLens records',
    );
  });

  it('decodes the log line in the section format: a JSON log line becomes fields beside the metadata', async () => {
    const p = pipeline({ userIni: '[app_json]\ns3_key = /firelens-json/\nfile_format = json\nvia_firelens = True\ntimestamp_key = time\nindex_name = log-app\n' });
    const body = JSON.stringify({ container_name: 'app', source: 'stdout', log: '{"time":"2026-11-21T10:00:00Z","level":"info","msg":"ok"}' });
    expect(docs(await run(p, 'x/firelens-json/a.gz', body)).map((d) => d._source)).toMatchObject([{ level: 'info', msg: 'ok', container_name: 'app', container_source: 'stdout', '@timestamp': '2026-11-21T10:00:00.000Z' }]);
  });
});
