/**
 * A local endpoint for the three AWS services the drill's outcome job calls: SNS Publish,
 * CloudWatch PutMetricData and EventBridge Scheduler Get/UpdateSchedule. There is no AWS here,
 * so the real `aws` CLI is pointed at this server with `--endpoint-url` (SNS_ENDPOINT,
 * CLOUDWATCH_ENDPOINT, SCHEDULER_ENDPOINT, as the scripts allow): the script's own commands
 * run unchanged and what they send is recorded as it arrives (subject, message, metric,
 * the new EndDate), instead of a shim that would only record argv.
 *
 * CloudWatch speaks the query protocol, JSON 1.0 or Smithy RPC v2 CBOR depending on the CLI
 * version (Debian's awscli 2.9: query; recent botocore: CBOR); each gets an empty success.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Published {
  readonly topicArn: string;
  readonly subject: string;
  readonly message: string;
}

export interface AwsStandIn {
  readonly url: string;
  readonly published: Published[];
  /** Raw PutMetricData bodies (text of the form, JSON or CBOR). */
  readonly metrics: string[];
  /** Bodies of UpdateSchedule. */
  readonly scheduleUpdates: Record<string, unknown>[];
  reset(): void;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The heartbeat schedule GetSchedule answers with (what alerting.ts creates). */
function heartbeat(name: string, group: string): Record<string, unknown> {
  return {
    Arn: `arn:aws:scheduler:us-east-1:333333333333:schedule/${group}/${name}`,
    Name: name,
    GroupName: group,
    Description: 'heartbeat',
    ScheduleExpression: 'rate(6 hours)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
    EndDate: '2020-01-01T00:00:00Z',
    CreationDate: '2020-01-01T00:00:00Z',
    LastModificationDate: '2020-01-01T00:00:00Z',
    Target: {
      Arn: 'arn:aws:scheduler:::aws-sdk:cloudwatch:putMetricData',
      RoleArn: 'arn:aws:iam::333333333333:role/beat',
      Input: '{"Namespace":"KeyCustody/Drills"}',
    },
  };
}

export async function startAwsStandIn(): Promise<AwsStandIn> {
  const published: Published[] = [];
  const metrics: string[] = [];
  const scheduleUpdates: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    void body(req).then((raw) => {
      const type = String(req.headers['content-type'] ?? '');
      const url = new URL(req.url ?? '/', 'http://local');
      const schedule = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      if (schedule && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(heartbeat(decodeURIComponent(schedule[1]), url.searchParams.get('groupName') ?? 'default')));
        return;
      }
      if (schedule && req.method === 'PUT') {
        // The schedule's name travels in the path (rest-json), the rest in the body.
        scheduleUpdates.push({ Name: decodeURIComponent(schedule[1]), ...(JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ScheduleArn: `arn:aws:scheduler:us-east-1:333333333333:schedule/x/${schedule[1]}` }));
        return;
      }
      if (type.includes('cbor') || String(req.headers['smithy-protocol'] ?? '') === 'rpc-v2-cbor') {
        metrics.push(raw.toString('latin1'));
        res.writeHead(200, { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }).end(Buffer.from([0xa0]));
        return;
      }
      if (type.includes('x-amz-json')) {
        metrics.push(raw.toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
        return;
      }
      const form = new URLSearchParams(raw.toString('utf8'));
      const action = form.get('Action');
      if (action === 'Publish') {
        published.push({ topicArn: form.get('TopicArn') ?? '', subject: form.get('Subject') ?? '', message: form.get('Message') ?? '' });
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>00000000-0000-0000-0000-000000000001</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
          );
        return;
      }
      if (action === 'PutMetricData') {
        metrics.push(raw.toString('utf8'));
        res
          .writeHead(200, { 'content-type': 'text/xml' })
          .end('<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>');
        return;
      }
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`the drill rehearsal's AWS stand-in does not answer ${req.method} ${req.url} (${type})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    published,
    metrics,
    scheduleUpdates,
    reset() {
      published.length = 0;
      metrics.length = 0;
      scheduleUpdates.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
