// `cdktf-key-custody/policy`: the custody vocabulary (tag names, action lists, limits, the drill
// schedule) for code that writes or reads custody resources without the constructs.
export * from './tags';
export * from './perms';
export * from './limits';
export { DEFAULT_DRILL_SCHEDULE, analyzeSchedule, nextCronRun, isTimeZone } from './schedule';
export { isKeyEnvName, isKeyFileEnvName, isKeyFileFlag, isKeyFromEnvFlag, isKeyValueFlag } from './keynames';
