/** The state machines the console tests show: one with every kind of state, a slow one, a long one. */

/** Pass, Choice, Fail, an activity with Catch, Parallel with a Map inside, Succeed; Assign on the first state. */
export const orders = (activityArn: string) => ({
  Comment: 'Validate an order, wait for a person to approve it, then invoice and pack it',
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Pass', Assign: { 'orderId.$': '$.orderId' }, Next: 'CheckStock' },
    CheckStock: { Type: 'Choice', Choices: [{ Variable: '$.items', IsPresent: true, Next: 'Approve' }], Default: 'Reject' },
    Reject: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'The order has no items' },
    Approve: {
      Type: 'Task', Resource: activityArn, ResultPath: '$.approval', HeartbeatSeconds: 3600,
      Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.rejection', Next: 'Rejected' }],
      Next: 'Fulfil',
    },
    Rejected: { Type: 'Pass', Next: 'Done' },
    Fulfil: {
      Type: 'Parallel',
      ResultPath: '$.fulfilment',
      Branches: [
        { StartAt: 'Invoice', States: { Invoice: { Type: 'Pass', Result: { invoiced: true }, End: true } } },
        {
          StartAt: 'Pack',
          States: {
            Pack: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'PackItem', States: { PackItem: { Type: 'Pass', End: true } } }, End: true },
          },
        },
      ],
      Next: 'Ship',
    },
    Ship: { Type: 'Pass', Result: 'shipped', ResultPath: '$.shipping', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
});

/** Two Wait states, so a page can watch the execution move. */
export const ticker = {
  StartAt: 'First',
  States: {
    // Long enough for a page loaded after the start to still see it waiting, on a loaded machine.
    First: { Type: 'Wait', Seconds: 6, Next: 'Second' },
    Second: { Type: 'Wait', Seconds: 120, End: true },
  },
};

const LOOPS = 6240;
/** ExecutionStarted, Init (2), 4 events per loop, Done (2), ExecutionSucceeded: just under AWS's 25,000. */
export const LONG_HISTORY_EVENTS = 6 + 4 * LOOPS;
export const longHistory = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Result: { count: 0 }, Next: 'Increment' },
    Increment: { Type: 'Pass', Parameters: { 'count.$': 'States.MathAdd($.count, 1)' }, Next: 'More' },
    More: { Type: 'Choice', Choices: [{ Variable: '$.count', NumericLessThan: LOOPS, Next: 'Increment' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
};
