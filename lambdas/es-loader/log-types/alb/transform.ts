/**
 * Application Load Balancer access logs.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
 */
import type { Transform } from '../types';
import { elbRequest } from '../clb/transform';

export const alb: Transform = ({ raw, doc }) => elbRequest(raw, doc);
