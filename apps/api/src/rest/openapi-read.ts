/** The OpenAPI description of ./read-routes.ts and the console session (merged into ./openapi.ts). */

const error = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: error } } });
const json = (schema: unknown, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } });
const str = { type: 'string' };
const dateTime = { type: 'string', format: 'date-time' };
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string', maxLength: 256 } });
const queryParam = (name: string, schema: unknown, description: string) => ({ name, in: 'query', required: false, description, schema });
const executionArn = pathParam('executionArn', 'The execution ARN, percent-encoded.');
const stateMachine = pathParam('name', 'The state machine name, or its whole ARN percent-encoded.');
const common = {
  '400': errorResponse('Invalid request (code ValidationException, InvalidArn, ...)'),
  '401': errorResponse('Missing or unknown API key or session (code MissingAuthenticationToken or UnrecognizedClientException)'),
  '403': errorResponse('A console session without its CSRF token, or a cross-origin request (code AccessDeniedException)'),
  '500': errorResponse('Internal failure (code InternalFailure)'),
};
const noExecution = { '404': errorResponse('No such execution (code ExecutionDoesNotExist)'), ...common };
const statusEnum = { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] };

const historyEvent = {
  type: 'object',
  required: ['id', 'type', 'timestamp'],
  description: 'A history event as GetExecutionHistory returns it; payloads in the details are JSON text.',
  properties: { id: { type: 'integer' }, previousEventId: { type: 'integer' }, type: str, timestamp: dateTime },
  additionalProperties: true,
};

const waitingTask = {
  type: 'object',
  required: ['taskId', 'stateName', 'resource', 'kind', 'started', 'path'],
  properties: {
    taskId: { type: 'string', description: 'Identifies the task within the execution (not a task token).' },
    stateName: str,
    resource: str,
    kind: { type: 'string', enum: ['activity', 'callback'] },
    started: { type: 'boolean', description: 'A worker took the activity task, or the callback call was made.' },
    path: {
      type: 'array',
      description: 'The enclosing Map iterations and Parallel branches, outermost first.',
      items: { type: 'object', properties: { stateName: str, index: { type: 'integer' } } },
    },
  },
};

const session = {
  type: 'object',
  required: ['mode'],
  properties: {
    mode: { type: 'string', enum: ['open', 'session'], description: 'open: authentication is off (developer mode on loopback).' },
    csrfToken: { type: 'string', description: 'Send it as x-baton-csrf on state-changing requests made with the session cookie.' },
    expiresAt: dateTime,
  },
};

export function readPaths(): Record<string, unknown> {
  return {
    '/v1/state-machines': {
      get: {
        operationId: 'listStateMachines',
        summary: 'List state machines (ListStateMachines).',
        parameters: [queryParam('maxResults', { type: 'integer', minimum: 0, maximum: 1000 }, 'Page size (default 100).'), queryParam('nextToken', str, 'From the previous page.')],
        responses: {
          '200': json({
            type: 'object',
            properties: {
              stateMachines: { type: 'array', items: { type: 'object', properties: { stateMachineArn: str, name: str, type: str, creationDate: dateTime } } },
              nextToken: str,
            },
          }),
          ...common,
        },
      },
    },
    '/v1/state-machines/{name}': {
      get: {
        operationId: 'describeStateMachine',
        summary: 'Read a state machine and its definition (DescribeStateMachine).',
        parameters: [stateMachine],
        responses: { '200': json({ type: 'object', additionalProperties: true }), '404': errorResponse('No such state machine (code StateMachineDoesNotExist)'), ...common },
      },
    },
    '/v1/state-machines/{name}/executions': {
      get: {
        operationId: 'searchExecutions',
        summary:
          'List or search the executions of a state machine, newest first. Without name, error or input filters this is keyset paging; ' +
          'with them, each request examines at most 10,000 executions (no index serves those filters) and nextCursor continues the search.',
        parameters: [
          stateMachine,
          queryParam('status', statusEnum, 'Only executions with this status (indexed).'),
          queryParam('name', str, 'Case-insensitive part of the execution name.'),
          queryParam('error', str, 'Case-insensitive part of the error name.'),
          queryParam('input', str, '`path = value` on the input (`orderId = A-17`, `customer.id = 7`), or text the input contains.'),
          queryParam('startedAfter', dateTime, 'Started at or after (indexed).'),
          queryParam('startedBefore', dateTime, 'Started at or before (indexed).'),
          queryParam('cursor', str, 'nextCursor of the previous request.'),
          queryParam('maxResults', { type: 'integer', minimum: 1, maximum: 1000 }, 'Page size (default 100).'),
        ],
        responses: {
          '200': json({
            type: 'object',
            required: ['executions', 'scanned'],
            properties: {
              executions: {
                type: 'array',
                items: { type: 'object', properties: { executionArn: str, stateMachineArn: str, name: str, status: statusEnum, startDate: dateTime, stopDate: dateTime, error: str } },
              },
              nextCursor: { type: 'string', description: 'Absent when nothing more can match.' },
              scanned: { type: 'integer', description: 'Executions this request examined.' },
            },
          }),
          '404': errorResponse('No such state machine (code StateMachineDoesNotExist)'),
          ...common,
        },
      },
    },
    '/v1/executions/{executionArn}/definition': {
      get: {
        operationId: 'describeStateMachineForExecution',
        summary: 'The definition the execution runs (DescribeStateMachineForExecution).',
        parameters: [executionArn],
        responses: { '200': json({ type: 'object', additionalProperties: true }), ...noExecution },
      },
    },
    '/v1/executions/{executionArn}/events': {
      get: {
        operationId: 'getExecutionEvents',
        summary: 'History events from an event id on (ids run 1..n), and the newest id: poll with fromEventId = lastEventId + 1 to follow a running execution.',
        parameters: [
          executionArn,
          queryParam('fromEventId', { type: 'integer', minimum: 1 }, 'First event id (default 1).'),
          queryParam('maxResults', { type: 'integer', minimum: 1, maximum: 1000 }, 'At most this many (default 1000).'),
          queryParam('includeExecutionData', { type: 'boolean' }, 'false: leave inputs and outputs out.'),
        ],
        responses: {
          '200': json({ type: 'object', required: ['events', 'lastEventId'], properties: { events: { type: 'array', items: historyEvent }, lastEventId: { type: 'integer' } } }),
          ...noExecution,
        },
      },
    },
    '/v1/executions/{executionArn}/stop': {
      post: {
        operationId: 'stopExecution',
        summary: 'Stop a running execution (StopExecution).',
        parameters: [executionArn],
        requestBody: body({ type: 'object', properties: { error: { type: 'string', maxLength: 256 }, cause: { type: 'string', maxLength: 32768 } } }),
        responses: { '200': json({ type: 'object', properties: { stopDate: dateTime } }), ...noExecution },
      },
    },
    '/v1/executions/{executionArn}/redrive': {
      post: {
        operationId: 'redriveExecution',
        summary: 'Redrive an execution that failed, timed out or was aborted (RedriveExecution): it continues from its unsuccessful states. '
          + 'Refused with ExecutionNotRedrivable when its redriveStatus is not REDRIVABLE.',
        parameters: [executionArn],
        requestBody: body({
          type: 'object',
          properties: { clientToken: { type: 'string', minLength: 1, maxLength: 64, description: 'Idempotency: the same token within 15 minutes answers the same redrive.' } },
        }),
        responses: {
          '200': json({ type: 'object', properties: { redriveDate: dateTime } }),
          '409': errorResponse('The execution cannot be redriven now (code ExecutionNotRedrivable; the message says why)'),
          ...noExecution,
        },
      },
    },
    '/v1/executions/{executionArn}/waiting-tasks': {
      get: {
        operationId: 'listWaitingTasks',
        summary: 'The activity and .waitForTaskToken tasks of the execution that wait for an answer (never their tokens).',
        parameters: [executionArn],
        responses: { '200': json({ type: 'object', properties: { tasks: { type: 'array', items: waitingTask } } }), ...noExecution },
      },
    },
    '/v1/executions/{executionArn}/waiting-tasks/{taskId}/success': answerPath('completeWaitingTaskSuccess', 'Answer a waiting task with an output, as SendTaskSuccess with its token would.', {
      type: 'object', required: ['output'], properties: { output: { description: 'Task output: any JSON value.' } },
    }),
    '/v1/executions/{executionArn}/waiting-tasks/{taskId}/failure': answerPath('completeWaitingTaskFailure', 'Fail a waiting task, as SendTaskFailure with its token would.', {
      type: 'object', properties: { error: { type: 'string', maxLength: 256 }, cause: { type: 'string', maxLength: 32768 } },
    }),
    '/v1/console/session': {
      get: { operationId: 'getConsoleSession', summary: 'Whether the console needs to sign in; the CSRF token of the current session.', security: [], responses: { '200': json(session), ...common } },
      post: {
        operationId: 'signInConsole',
        summary: 'Sign the console in with one of BATON_API_KEYS: sets an HttpOnly, SameSite=Strict session cookie the REST surface accepts.',
        security: [],
        requestBody: body({ type: 'object', required: ['apiKey'], properties: { apiKey: str } }),
        responses: { '200': json(session), ...common },
      },
      delete: { operationId: 'signOutConsole', summary: 'Clear the session cookie.', security: [], responses: { '200': json({ type: 'object' }), ...common } },
    },
  };
}

function answerPath(operationId: string, summary: string, schema: unknown): Record<string, unknown> {
  return {
    post: {
      operationId,
      summary: `${summary} An activity task nobody took yet is withdrawn; a token a worker holds stops working.`,
      parameters: [executionArn, { name: 'taskId', in: 'path', required: true, schema: { type: 'string', maxLength: 128 } }],
      requestBody: body(schema),
      responses: {
        '200': json({ type: 'object' }),
        '404': errorResponse('No such execution, or no such task waiting (code ExecutionDoesNotExist, TaskDoesNotExist)'),
        '409': errorResponse('The task timed out or its execution ended (code TaskTimedOut)'),
        ...common,
      },
    },
  };
}
