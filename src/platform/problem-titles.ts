import type { LocalizedText } from './errors.ts';

/** Titles by HTTP status, used when a code has no title of its own. */
export const STATUS_TITLES: Record<number, LocalizedText> = {
  400: { zh: '请求有误', en: 'Bad request' },
  401: { zh: '需要登录', en: 'Authentication required' },
  403: { zh: '无权执行此操作', en: 'Forbidden' },
  404: { zh: '未找到', en: 'Not found' },
  405: { zh: '不支持该请求方法', en: 'Method not allowed' },
  406: { zh: '无法提供请求的格式', en: 'Not acceptable' },
  409: { zh: '与当前状态冲突', en: 'Conflict' },
  412: { zh: '版本已变化', en: 'Precondition failed' },
  413: { zh: '请求体过大', en: 'Payload too large' },
  414: { zh: '请求地址过长', en: 'URI too long' },
  415: { zh: '不支持的内容类型', en: 'Unsupported media type' },
  422: { zh: '内容无法处理', en: 'Unprocessable content' },
  428: { zh: '缺少前提条件', en: 'Precondition required' },
  429: { zh: '请求过于频繁', en: 'Too many requests' },
  500: { zh: '服务器内部错误', en: 'Internal server error' },
  503: { zh: '服务暂不可用', en: 'Service unavailable' },
};

const codeTitles = new Map<string, LocalizedText>([
  ['validation_failed', { zh: '请求参数校验失败', en: 'Request validation failed' }],
  ['malformed_json', { zh: 'JSON 格式错误', en: 'Malformed JSON body' }],
  ['empty_body', { zh: '请求体为空', en: 'Empty request body' }],
  ['payload_too_large', { zh: '请求体过大', en: 'Payload too large' }],
  ['unsupported_media_type', { zh: '不支持的内容类型', en: 'Unsupported media type' }],
  ['invalid_value', { zh: '请求中的值无效', en: 'Invalid value in the request' }],
  ['route_not_found', { zh: '接口不存在', en: 'No such endpoint' }],
  ['method_not_allowed', { zh: '不支持该请求方法', en: 'Method not allowed' }],
  ['not_found', { zh: '未找到', en: 'Not found' }],
  ['unauthenticated', { zh: '需要登录', en: 'Authentication required' }],
  ['forbidden', { zh: '无权执行此操作', en: 'Forbidden' }],
  ['precondition_failed', { zh: '资源版本已变化，请刷新后重试', en: 'The resource has changed; reload and retry' }],
  ['too_many_requests', { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; retry later' }],
  ['idempotency_key_reused', { zh: '幂等键已用于不同的请求', en: 'Idempotency key reused with a different request' }],
  [
    'idempotency_key_in_flight',
    { zh: '相同幂等键的请求正在处理', en: 'A request with this idempotency key is in progress' },
  ],
  ['internal_error', { zh: '服务器内部错误', en: 'Internal server error' }],
  ['request_header_fields_too_large', { zh: '请求头过大', en: 'Request header fields too large' }],
  ['malformed_request', { zh: '请求格式错误', en: 'Malformed HTTP request' }],
  ['request_timeout', { zh: '请求超时', en: 'Request timeout' }],
]);

/** Modules register titles for their own error codes next to where they throw them. */
export function registerProblemTitles(titles: Record<string, LocalizedText>): void {
  for (const [code, title] of Object.entries(titles)) codeTitles.set(code, title);
}

export function problemTitle(code: string, status: number): LocalizedText {
  return codeTitles.get(code) ?? STATUS_TITLES[status] ?? STATUS_TITLES[500]!;
}
