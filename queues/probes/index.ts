// The public surface of queues/probes: status probes sent on a schedule or on request, and
// replies from any channel applied to their milestones.

export type { ProbeDeps } from './probe-deps.ts';
export { sendProbe, type SendProbeResult } from './send-probe.ts';
export { sweepProbes, type ProbeSweepResult } from './sweep-probes.ts';
export { PROBE_SWEEP_JOB, PROBE_SWEEP_SCHEDULER_ID, scheduleProbeSweep } from './probe-jobs.ts';
export { handleProbeReply, type IncomingProbeReply, type ProbeReplyOutcome } from './handle-probe-reply.ts';
export { probeReplyListener } from './probe-reply-listener.ts';
export { jiraCommentReplies } from './jira-comment-replies.ts';
export { linkedIssueKeys, milestonesOfIssue } from './linked-issues.ts';
