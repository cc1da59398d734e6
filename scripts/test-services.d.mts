// Types of test-services.mjs (plain JavaScript, run by `npm test` before anything is built).
export interface ServiceAddress { host: string; port: number; url: string }
export interface Defaults { postgres: ServiceAddress; redis: ServiceAddress }
export type ServicePlan = { kind: 'url'; url: string; from: string } | { kind: 'container' };
export interface Plan { postgres: ServicePlan; redis: ServicePlan }
export const DEFAULTS: Defaults;
export function planTestServices(env: Readonly<Record<string, string | undefined>>, answering: { postgres: boolean; redis: boolean }, defaults?: Defaults): Plan;
export function noServicesMessage(plan: Plan, defaults?: Defaults): string;
export function portAnswers(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export function dockerReachable(): Promise<boolean>;
export class TestServicesError extends Error {}
export function provideTestServices(options?: {
  env?: Readonly<Record<string, string | undefined>>;
  defaults?: Defaults;
  docker?: () => Promise<boolean>;
  log?: (message: string) => void;
}): Promise<{ plan: Plan; env: Record<string, string>; stop(): Promise<void> }>;
