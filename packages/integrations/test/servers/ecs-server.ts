/**
 * A minimal Amazon ECS endpoint for tests, in the AWS JSON 1.1 protocol (`X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Action>`), following the ECS API reference pages "RunTask"
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html: `tasks`, `failures`, idempotent
 * `clientToken`), "DescribeTasks" (API_DescribeTasks.html) and "StopTask" (API_StopTask.html), with the Task
 * lifecycle of the developer guide's "Amazon ECS task lifecycle" (PROVISIONING -> PENDING -> RUNNING -> STOPPED).
 * Each DescribeTasks call advances a task one step along the script of its task definition, so tests never wait
 * on wall-clock time; the last step sets the containers' exit codes.
 */
import { randomUUID } from 'node:crypto';
import { jsonError, jsonReply, listen, type RunningServer } from './http-util.js';

const CT = 'application/x-amz-json-1.1';
const TARGET = 'AmazonEC2ContainerServiceV20141113.';

export interface TaskScript {
  /** Statuses the task goes through, one per DescribeTasks (default PROVISIONING, PENDING, RUNNING, STOPPED). */
  statuses?: string[];
  /** Exit code of each container when the task stops (default 0). */
  exitCode?: number;
  containers?: string[];
}

interface EcsTask {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: string;
  launchType?: string;
  createdAt: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: { containerArn: string; taskArn: string; name: string; lastStatus: string; exitCode?: number }[];
  overrides?: unknown;
  step: number;
  script: Required<TaskScript>;
}

export interface EcsTestServer extends RunningServer {
  readonly clusters: Set<string>;
  /** Scripts by task definition family (the part before ':revision'). */
  script(family: string, script: TaskScript): void;
  /** The next `count` RunTask calls answer ThrottlingException (400, undeclared by the model). */
  throttleNext(count: number): void;
  readonly runTaskCalls: Record<string, unknown>[];
  tasks(): EcsTask[];
}

export async function startEcsServer(region = 'us-east-1', account = '123456789012'): Promise<EcsTestServer> {
  const clusters = new Set<string>(['default']);
  const scripts = new Map<string, Required<TaskScript>>();
  const tasks = new Map<string, EcsTask>();
  const byClientToken = new Map<string, string>();
  const runTaskCalls: Record<string, unknown>[] = [];
  let throttles = 0;
  const clusterName = (c: unknown) => (typeof c === 'string' ? c.replace(/^arn:.*:cluster\//, '') : 'default');
  const clusterArn = (name: string) => `arn:aws:ecs:${region}:${account}:cluster/${name}`;
  const view = (t: EcsTask) => {
    const { step: _s, script: _sc, ...rest } = t;
    return rest;
  };

  const running = await listen((req, body, res) => {
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith(TARGET)) return jsonError(res, 400, CT, 'UnknownOperationException', 'Unknown operation', requestId);
    const input = (body ? JSON.parse(body) : {}) as Record<string, any>;
    switch (target.slice(TARGET.length)) {
      case 'RunTask': {
        runTaskCalls.push(input);
        if (throttles > 0) {
          throttles--;
          return jsonError(res, 400, CT, 'ThrottlingException', 'Rate exceeded', requestId);
        }
        const cluster = clusterName(input.cluster);
        if (!clusters.has(cluster)) return jsonError(res, 400, CT, 'ClusterNotFoundException', 'Cluster not found.', requestId);
        if (typeof input.taskDefinition !== 'string') return jsonError(res, 400, CT, 'InvalidParameterException', 'taskDefinition can not be blank.', requestId);
        const token = typeof input.clientToken === 'string' ? input.clientToken : undefined;
        const existing = token ? byClientToken.get(token) : undefined;
        if (existing) return jsonReply(res, CT, { tasks: [view(tasks.get(existing)!)], failures: [] }, requestId);
        const family = String(input.taskDefinition.replace(/^arn:.*:task-definition\//, '').split(':')[0]);
        const script = scripts.get(family);
        if (!script) {
          return jsonReply(res, CT, { tasks: [], failures: [{ arn: input.taskDefinition, reason: 'MISSING' }] }, requestId);
        }
        const taskArn = `arn:aws:ecs:${region}:${account}:task/${cluster}/${randomUUID().replace(/-/g, '')}`;
        const task: EcsTask = {
          taskArn,
          clusterArn: clusterArn(cluster),
          taskDefinitionArn: `arn:aws:ecs:${region}:${account}:task-definition/${family}:1`,
          lastStatus: script.statuses[0]!,
          desiredStatus: 'RUNNING',
          ...(input.launchType ? { launchType: input.launchType } : {}),
          createdAt: Date.now() / 1000,
          containers: script.containers.map((name) => ({ containerArn: `arn:aws:ecs:${region}:${account}:container/${randomUUID()}`, taskArn, name, lastStatus: script.statuses[0]! })),
          ...(input.overrides ? { overrides: input.overrides } : {}),
          step: 0,
          script,
        };
        tasks.set(taskArn, task);
        if (token) byClientToken.set(token, taskArn);
        return jsonReply(res, CT, { tasks: [view(task)], failures: [] }, requestId);
      }
      case 'DescribeTasks': {
        const found: unknown[] = [];
        const failures: unknown[] = [];
        for (const arn of (input.tasks ?? []) as string[]) {
          const task = tasks.get(arn);
          if (!task) {
            failures.push({ arn, reason: 'MISSING' });
            continue;
          }
          if (task.lastStatus !== 'STOPPED') {
            task.step = Math.min(task.step + 1, task.script.statuses.length - 1);
            setStatus(task, task.script.statuses[task.step]!);
          }
          found.push(view(task));
        }
        return jsonReply(res, CT, { tasks: found, failures }, requestId);
      }
      case 'StopTask': {
        const task = tasks.get(String(input.task));
        if (!task) return jsonError(res, 400, CT, 'InvalidParameterException', 'The referenced task was not found.', requestId);
        task.desiredStatus = 'STOPPED';
        task.stopCode = 'UserInitiated';
        task.stoppedReason = typeof input.reason === 'string' ? input.reason : 'Task stopped by user';
        setStatus(task, 'STOPPED', 137);
        return jsonReply(res, CT, { task: view(task) }, requestId);
      }
      default:
        return jsonError(res, 400, CT, 'UnknownOperationException', `Unsupported operation ${target}`, requestId);
    }
  });

  function setStatus(task: EcsTask, status: string, exitCode = task.script.exitCode): void {
    task.lastStatus = status;
    for (const c of task.containers) c.lastStatus = status;
    if (status === 'STOPPED') {
      task.desiredStatus = 'STOPPED';
      task.stoppedAt = Date.now() / 1000;
      task.stopCode ??= exitCode === 0 ? 'EssentialContainerExited' : 'EssentialContainerExited';
      for (const c of task.containers) c.exitCode = exitCode;
    }
  }

  return {
    endpoint: running.endpoint,
    close: running.close,
    clusters,
    runTaskCalls,
    script: (family, s) =>
      void scripts.set(family, {
        statuses: s.statuses ?? ['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPED'],
        exitCode: s.exitCode ?? 0,
        containers: s.containers ?? ['app'],
      }),
    throttleNext: (count) => void (throttles = count),
    tasks: () => [...tasks.values()],
  };
}
