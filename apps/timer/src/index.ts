/** @baton/timer: the timer role (fires due durable timers) over an engine the composition root builds. */
export { startTimer, type StartTimerOptions, type RunningTimer } from './start-timer.js';
export { parseTimerEnv, timerEnv, type TimerConfig } from './env.js';
