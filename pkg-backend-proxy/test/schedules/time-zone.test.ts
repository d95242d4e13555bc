import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeZoneError } from '../../src/schedules/time-zone.ts';

test('IANA names are time zones; aliases too', () => {
  for (const zone of [
    'Europe/Berlin',
    'America/Argentina/Buenos_Aires',
    'UTC',
    'Etc/GMT+1',
    'US/Eastern',
    'Asia/Kolkata',
  ]) {
    assert.equal(timeZoneError(zone), undefined, zone);
  }
});

test('refuses what validateTimeZone refuses, with its words', () => {
  assert.equal(timeZoneError(''), 'timeZone must be nil or non-empty string');
  assert.equal(
    timeZoneError('Local'),
    'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'
  );
  for (const zone of [
    'Mars/Olympus',
    '../etc/passwd',
    'Europe//Berlin',
    '-Europe',
    'Europe/Berlin ',
    'a'.repeat(15),
    '+01:00',
    '+0100',
  ]) {
    assert.equal(timeZoneError(zone), `unknown time zone ${zone}`, zone);
  }
});

test('names are case-sensitive, as zone files are', () => {
  assert.equal(timeZoneError('europe/berlin'), 'unknown time zone europe/berlin');
  assert.equal(timeZoneError('utc'), 'unknown time zone utc');
});
