// The proxy's schemas are the single source of truth for the API; the plugin only imports their types.
export type {
  ChangesResponse,
  ErrorBody,
  ErrorCode,
  FieldError,
  Job,
  JobList,
  JobPhase,
  LaunchRequest,
  ParamSchema,
  ParamsSchema,
  ParamValues,
  Resources,
  TemplateList,
  TemplateView,
} from '../../pkg-backend-proxy/src/schemas/index.ts';
