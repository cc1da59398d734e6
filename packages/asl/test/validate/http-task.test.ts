import { describe, expect, it } from 'vitest';
import { validateDefinition, type JsonObject } from '../../src/index.js';

const CONNECTION = { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/api/1' };
const jsonPath = (parameters: JsonObject): JsonObject => ({
  StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: parameters, End: true } },
});
const base = { ApiEndpoint: 'https://api.example.com/orders', Method: 'GET', Authentication: CONNECTION };

describe('the HTTP Task at creation', () => {
  it('accepts the documented fields, literal or computed', () => {
    expect(validateDefinition(jsonPath({
      ...base, Headers: { 'X-Request': 'r', 'Content-Type.$': '$.type' }, QueryParameters: { 'q.$': '$.q' }, RequestBody: { a: 1 },
      Transform: { RequestBodyEncoding: 'URL_ENCODED', RequestEncodingOptions: { ArrayFormat: 'BRACKETS' } },
    }))).toEqual([]);
    expect(validateDefinition(jsonPath({ 'ApiEndpoint.$': '$.url', 'Method.$': '$.method', 'Authentication.$': '$.auth' }))).toEqual([]);
    expect(validateDefinition({
      QueryLanguage: 'JSONata', StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Arguments: { ...base, Method: '{% $states.input.m %}' }, End: true } },
    })).toEqual([]);
  });

  it('refuses literal fields Baton would have to ignore, at their location', () => {
    const diagnostics = validateDefinition(jsonPath({
      ...base, Method: 'TRACE', InvocationConfig: {}, Headers: { Authorization: 'Bearer x', 'x-amz-date': 'now', 'User-Agent.$': '$.ua' },
      Authentication: { ...CONNECTION, ConnectivityParameters: {} },
      Transform: { RequestBodyEncoding: 'GZIP', RequestEncodingOptions: { ArrayFormat: 'PIPES', Nested: true } },
    }));
    expect(diagnostics.map((d) => [d.location, d.message])).toEqual([
      ['/States/Call/Parameters/InvocationConfig', "Baton's HTTP Task does not support the field 'InvocationConfig' in Parameters"],
      ['/States/Call/Parameters/Method', "Baton's HTTP Task supports the methods GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD, not \"TRACE\""],
      ['/States/Call/Parameters/Authentication/ConnectivityParameters', "Baton's HTTP Task does not support the field 'ConnectivityParameters' in Authentication"],
      ['/States/Call/Parameters/Headers/Authorization', "Baton's HTTP Task cannot set the header 'Authorization' (Step Functions or the connection sets it)"],
      ['/States/Call/Parameters/Headers/x-amz-date', "Baton's HTTP Task cannot set the header 'x-amz-date' (Step Functions or the connection sets it)"],
      ['/States/Call/Parameters/Headers/User-Agent.$', "Baton's HTTP Task cannot set the header 'User-Agent' (Step Functions or the connection sets it)"],
      ['/States/Call/Parameters/Transform/RequestBodyEncoding', "Baton's HTTP Task supports the RequestBodyEncoding NONE, URL_ENCODED, not \"GZIP\""],
      ['/States/Call/Parameters/Transform/RequestEncodingOptions/Nested', "Baton's HTTP Task does not support the field 'Nested' in Transform.RequestEncodingOptions"],
      ['/States/Call/Parameters/Transform/RequestEncodingOptions/ArrayFormat', "Baton's HTTP Task supports the ArrayFormat INDICES, REPEAT, COMMAS, BRACKETS, not \"PIPES\""],
    ]);
    expect(diagnostics.every((d) => d.code === 'SCHEMA_VALIDATION_FAILED')).toBe(true);
  });
});
