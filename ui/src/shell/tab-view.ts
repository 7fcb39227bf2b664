/** What the tab strip and tab list need to draw one tab. */
export interface TabView {
  id: string;
  title: string;
  icon: string;
  incognito: boolean;
}
