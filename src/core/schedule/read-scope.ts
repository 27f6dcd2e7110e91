/**
 * A channel's schedule read once per piece of work: handling one slot reads it in several places
 * (the slot's checks, the time zone, the question filters, the notify role, the reminder, the next
 * slot), six GETs of the same key. Within `readingSchedulesOnce`, the first read is shared by the
 * others; a schedule saved meanwhile through the same store replaces the shared copy. Outside a
 * scope every read goes to the store, so nothing is ever cached across operations.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ScheduleStore } from '../ports.js';
import type { ChannelRef } from '../types.js';
import type { ChannelSchedule } from './schedule.js';

const scope = new AsyncLocalStorage<Map<string, Promise<ChannelSchedule | null>>>();
const keyOf = (c: ChannelRef) => `${c.platform}\u0000${c.serverId}\u0000${c.channelId}`;

/** Runs `fn` with each channel's schedule read at most once (nested scopes share the outer one). */
export function readingSchedulesOnce<T>(fn: () => Promise<T>): Promise<T> {
  return scope.getStore() ? fn() : scope.run(new Map(), fn);
}

/** The store, with `getSchedule` shared within a scope and `saveSchedule` keeping the scope's copy current. */
export function scopedScheduleReads<S extends Pick<ScheduleStore, 'getSchedule' | 'saveSchedule'>>(store: S): S {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'getSchedule')
        return (channel: ChannelRef) => {
          const cache = scope.getStore();
          if (!cache) return target.getSchedule(channel);
          const key = keyOf(channel);
          let read = cache.get(key);
          if (!read) {
            read = target.getSchedule(channel);
            cache.set(key, read);
            // A failed read is not shared: the next caller tries again.
            read.catch(() => cache.delete(key));
          }
          return read;
        };
      if (prop === 'saveSchedule')
        return async (s: ChannelSchedule) => {
          await target.saveSchedule(s);
          scope.getStore()?.set(keyOf(s.channel), Promise.resolve(s));
        };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
