import type { Method, ParsedRequest, Response } from '../../../shared/contract/index.ts';

/** A handler receives its request already parsed by the contract schema. */
export type Handler<M extends Method> = (request: ParsedRequest<M>) => Promise<Response<M>> | Response<M>;
/** One domain's slice of the contract: the compiler checks every method is handled exactly once. */
export type HandlerMap<K extends Method> = { [M in K]: Handler<M> };
/** The contract methods under one prefix ("bundles" → bundles.list, bundles.get, …): one handler file each. */
export type MethodsOf<P extends string> = Extract<Method, `${P}.${string}`>;
