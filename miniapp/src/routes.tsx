// Routes table: one entry per tab; `officerOnly` tabs appear only when /me says the user is an officer.
import type { ComponentType, ReactElement } from 'react';
import { BellIcon, CardIcon, GiftIcon, ScanIcon, ShieldIcon } from './components/icons';
import { strings } from './lib/strings';
import AnnouncementsPage from './pages/announcements';
import CardPage from './pages/card';
import CheckinPage from './pages/checkin';
import OfficerPage from './pages/officer';
import WelfarePage from './pages/welfare';

export interface TabRoute {
  key: string;
  path: string;
  label: string;
  icon: (props: { size?: number }) => ReactElement;
  Page: ComponentType;
  officerOnly?: boolean;
}

export const tabRoutes: TabRoute[] = [
  { key: 'card', path: '/', label: strings.nav.card, icon: CardIcon, Page: CardPage },
  { key: 'checkin', path: '/checkin', label: strings.nav.checkin, icon: ScanIcon, Page: CheckinPage },
  { key: 'welfare', path: '/welfare', label: strings.nav.welfare, icon: GiftIcon, Page: WelfarePage },
  { key: 'announcements', path: '/announcements', label: strings.nav.announcements, icon: BellIcon, Page: AnnouncementsPage },
  { key: 'officer', path: '/officer', label: strings.nav.officer, icon: ShieldIcon, Page: OfficerPage, officerOnly: true },
];
