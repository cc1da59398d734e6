/** The OpenAPI 3.1 description of the REST surface (./routes.ts), served at `GET /openapi.json`. */
import { readPaths } from './openapi-read.js';

const error = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: error } },
});
const jsonBody = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } });
const common = {
  '400': errorResponse('Invalid request (code ValidationException, InvalidName, InvalidToken, InvalidExecutionInput, ...)'),
  '401': errorResponse('Missing or unknown API key (code MissingAuthenticationToken or UnrecognizedClientException)'),
  '413': errorResponse('Request body too large (code RequestEntityTooLargeException)'),
  '500': errorResponse('Internal failure (code InternalFailure)'),
};

export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Baton REST API',
      version: '1.0.0',
      description:
        'Start executions, read them, and answer task tokens without the AWS protocol. Everything else uses the ' +
        'Step Functions API (AWS JSON 1.0 at POST /). Errors carry the AWS error code.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ apiKey: [] }],
    paths: {
      ...readPaths(),
      '/v1/state-machines/{name}/executions': {
        ...(readPaths()['/v1/state-machines/{name}/executions'] as Record<string, unknown>),
        post: {
          operationId: 'startExecution',
          summary: 'Start an execution of the state machine with this name, or this percent-encoded ARN (StartExecution).',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 256 } }],
          requestBody: jsonBody({
            type: 'object',
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 80, description: 'Execution name; generated when absent.' },
              input: { description: 'Execution input: any JSON value (default {}). At most 256 KiB as JSON text.' },
            },
          }),
          responses: {
            '201': {
              description: 'Started (or the running execution with the same name and input).',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['executionArn', 'startDate'],
                    properties: { executionArn: { type: 'string' }, startDate: { type: 'string', format: 'date-time' } },
                  },
                },
              },
            },
            '404': errorResponse('No state machine with this name (code StateMachineDoesNotExist)'),
            '409': errorResponse('An execution with this name exists (code ExecutionAlreadyExists)'),
            ...common,
          },
        },
      },
      '/v1/executions/{executionArn}': {
        get: {
          operationId: 'describeExecution',
          summary: 'Read an execution (DescribeExecution). The ARN may be percent-encoded.',
          parameters: [{ name: 'executionArn', in: 'path', required: true, schema: { type: 'string', maxLength: 256 } }],
          responses: {
            '200': {
              description: 'The execution.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Execution' } } },
            },
            '404': errorResponse('No such execution (code ExecutionDoesNotExist)'),
            ...common,
          },
        },
      },
      '/v1/task/success': taskPath('sendTaskSuccess', 'Complete the task of a token with an output (SendTaskSuccess).', {
        type: 'object',
        required: ['taskToken', 'output'],
        properties: { taskToken: { type: 'string' }, output: { description: 'Task output: any JSON value.' } },
      }),
      '/v1/task/failure': taskPath('sendTaskFailure', 'Fail the task of a token (SendTaskFailure).', {
        type: 'object',
        required: ['taskToken'],
        properties: {
          taskToken: { type: 'string' },
          error: { type: 'string', maxLength: 256 },
          cause: { type: 'string', maxLength: 32768 },
        },
      }),
      '/v1/task/heartbeat': taskPath('sendTaskHeartbeat', 'Report that the task of a token is alive (SendTaskHeartbeat).', {
        type: 'object',
        required: ['taskToken'],
        properties: { taskToken: { type: 'string' } },
      }),
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A key from BATON_API_KEYS.' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', description: 'The AWS error code, e.g. ExecutionDoesNotExist.' },
            message: { type: 'string' },
          },
        },
        Execution: {
          type: 'object',
          required: ['executionArn', 'stateMachineArn', 'status', 'startDate'],
          properties: {
            executionArn: { type: 'string' },
            stateMachineArn: { type: 'string' },
            name: { type: 'string' },
            status: { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] },
            startDate: { type: 'string', format: 'date-time' },
            stopDate: { type: 'string', format: 'date-time' },
            input: { description: 'The execution input (JSON value).' },
            output: { description: 'The execution output (JSON value), once succeeded.' },
            error: { type: 'string' },
            cause: { type: 'string' },
            redriveCount: { type: 'integer', description: 'How many times it was redriven (RedriveExecution).' },
            redriveDate: { type: 'string', format: 'date-time', description: 'When it was last redriven.' },
            redriveStatus: { type: 'string', enum: ['REDRIVABLE', 'NOT_REDRIVABLE', 'REDRIVABLE_BY_MAP_RUN'] },
            redriveStatusReason: { type: 'string', description: 'Why it cannot be redriven (AWS\'s reasons).' },
          },
        },
      },
    },
  };
}

function taskPath(operationId: string, summary: string, schema: unknown): Record<string, unknown> {
  return {
    post: {
      operationId,
      summary,
      requestBody: jsonBody(schema),
      responses: {
        '200': { description: 'Accepted.', content: { 'application/json': { schema: { type: 'object' } } } },
        '404': errorResponse('Unknown or already completed task (code TaskDoesNotExist)'),
        '409': errorResponse('The task timed out or its execution ended (code TaskTimedOut)'),
        ...common,
      },
    },
  };
}
