/**
 * `npm run demo -- --s3`: use an S3-compatible server that is already running (moto_server,
 * MinIO…) as the team remote. The endpoint comes from TRAINYARD_DEMO_S3_ENDPOINT (default
 * moto_server's http://127.0.0.1:5000); credentials from the standard AWS chain, with moto's
 * placeholders when none are set. The demo's bucket is created if missing.
 */
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DemoFailure } from "./narrator.js";

export const DEMO_BUCKET = "trainyard-demo";

export async function prepareS3Endpoint(env: NodeJS.ProcessEnv = process.env) {
  const endpoint = env.TRAINYARD_DEMO_S3_ENDPOINT ?? "http://127.0.0.1:5000";
  env.AWS_ACCESS_KEY_ID ??= "test";
  env.AWS_SECRET_ACCESS_KEY ??= "test";
  const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, maxAttempts: 1 });
  try {
    await client.send(new HeadBucketCommand({ Bucket: DEMO_BUCKET })).catch(async (error: unknown) => {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw error;
      await client.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET }));
    });
  } catch (error) {
    throw new DemoFailure(
      `--s3: no S3 server answered at ${endpoint} (${error instanceof Error ? error.message : String(error)}); start one, e.g. \`moto_server -p 5000\`, or set TRAINYARD_DEMO_S3_ENDPOINT`,
    );
  } finally {
    client.destroy();
  }
  return { endpoint, bucket: DEMO_BUCKET };
}
